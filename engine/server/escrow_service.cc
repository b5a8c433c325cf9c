#include "engine/server/escrow_service.h"

#include <utility>

#include "engine/server/grpc_status.h"
#include "engine/server/peer_identity.h"
#include "engine/status.h"

namespace argentpoche {

template <typename Message, typename ReadFunction>
grpc::ServerUnaryReactor* EscrowService::Read(grpc::CallbackServerContext* context,
                                              std::string_view method, ReadFunction read,
                                              Message* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status admitted = AdmitRead(context, method);
  if (!admitted.ok()) {
    reactor->Finish(ToGrpcStatus(admitted));
    return reactor;
  }
  absl::StatusOr<Message> result = read();
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

absl::Status EscrowService::AdmitRead(grpc::CallbackServerContext* context,
                                      std::string_view method) {
  // A caller that is gone, or whose deadline passed while the call waited for a
  // thread, gets no work done on its behalf.
  if (context->IsCancelled()) {
    return Error(absl::StatusCode::kCancelled, "CALL_CANCELLED",
                 "the call was cancelled before the engine read anything");
  }
  const RequestOrigin origin = OriginOfCall(*context, mutual_tls_);
  if (origin.time_left_ms == 0) {
    return Error(absl::StatusCode::kDeadlineExceeded, "CALL_DEADLINE_EXCEEDED",
                 "the call's deadline had passed when the read arrived");
  }
  return engine_->AdmitRead(origin, method);
}

grpc::ServerUnaryReactor* EscrowService::Mutate(grpc::CallbackServerContext* context,
                                                const v1::SignedCommand& request,
                                                v1::Command::ActionCase expected, Fill fill) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  engine_->Submit(request, expected, OriginOfCall(*context, mutual_tls_),
                  [reactor, fill = std::move(fill)](absl::StatusOr<v1::CommandResult> result) {
                    if (result.ok()) fill(*result);
                    reactor->Finish(ToGrpcStatus(result.status()));
                  });
  return reactor;
}

#define POCHE_MUTATION(Method, Action, Response, field)                                           \
  grpc::ServerUnaryReactor* EscrowService::Method(grpc::CallbackServerContext* context,           \
                                                  const v1::SignedCommand* request,               \
                                                  Response* response) {                           \
    return Mutate(context, *request, v1::Command::Action, [response](v1::CommandResult& result) { \
      *response = std::move(*result.mutable_##field());                                           \
    });                                                                                           \
  }

POCHE_MUTATION(RegisterParty, kRegisterParty, v1::Party, party)
POCHE_MUTATION(OpenAccount, kOpenAccount, v1::Account, account)
POCHE_MUTATION(CreditAccount, kCreditAccount, v1::Transfer, transfer)
POCHE_MUTATION(DebitAccount, kDebitAccount, v1::Transfer, transfer)
POCHE_MUTATION(CreateHold, kCreateHold, v1::Hold, hold)
POCHE_MUTATION(ReleaseHold, kReleaseHold, v1::Hold, hold)
POCHE_MUTATION(VoidHold, kVoidHold, v1::Hold, hold)
POCHE_MUTATION(CreateContract, kCreateContract, v1::Contract, contract)
POCHE_MUTATION(SignContract, kSignContract, v1::Contract, contract)
POCHE_MUTATION(FundContract, kFundContract, v1::Contract, contract)
POCHE_MUTATION(ProposeSplit, kProposeSplit, v1::Contract, contract)
POCHE_MUTATION(AcceptSplit, kAcceptSplit, v1::Contract, contract)
POCHE_MUTATION(DisputeContract, kDisputeContract, v1::Contract, contract)
POCHE_MUTATION(DecideContract, kDecideContract, v1::Contract, contract)
POCHE_MUTATION(EndorseContract, kEndorseContract, v1::Contract, contract)
POCHE_MUTATION(RevealPreimage, kRevealPreimage, v1::Contract, contract)
POCHE_MUTATION(RegisterOracle, kRegisterOracle, v1::Oracle, oracle)
POCHE_MUTATION(RotateOracleKey, kRotateOracleKey, v1::Oracle, oracle)
POCHE_MUTATION(RevokeOracle, kRevokeOracle, v1::Oracle, oracle)
POCHE_MUTATION(AnnounceEvent, kAnnounceEvent, v1::OracleEvent, event)
POCHE_MUTATION(SubmitAttestation, kSubmitAttestation, v1::AttestationReceipt, attestation_receipt)
#undef POCHE_MUTATION

#define POCHE_READ(Method, Request, Response, call)                                             \
  grpc::ServerUnaryReactor* EscrowService::Method(grpc::CallbackServerContext* context,         \
                                                  const Request* request, Response* response) { \
    return Read(                                                                                \
        context, #Method, [this, request] { return engine_->call; }, response);                 \
  }

POCHE_READ(GetOracle, v1::GetOracleRequest, v1::Oracle, GetOracle(request->party_id()))
POCHE_READ(ListOracles, v1::ListOraclesRequest, v1::ListOraclesResponse, ListOracles(*request))
POCHE_READ(GetOracleEvent, v1::GetOracleEventRequest, v1::OracleEvent,
           GetOracleEvent(request->feed(), request->event_id()))
POCHE_READ(ListAttestations, v1::ListAttestationsRequest, v1::ListAttestationsResponse,
           ListAttestations(*request))
POCHE_READ(GetEquivocationProof, v1::GetEquivocationProofRequest, v1::EquivocationProof,
           GetEquivocationProof(request->id()))
#undef POCHE_READ

grpc::ServerUnaryReactor* EscrowService::GetEngineInfo(grpc::CallbackServerContext* context,
                                                       const v1::GetEngineInfoRequest*,
                                                       v1::EngineInfo* response) {
  return Read(
      context, "GetEngineInfo", [this] { return absl::StatusOr<v1::EngineInfo>(engine_->Info()); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::GetParty(grpc::CallbackServerContext* context,
                                                  const v1::GetPartyRequest* request,
                                                  v1::Party* response) {
  return Read(
      context, "GetParty", [this, request] { return engine_->GetParty(request->party_id()); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::GetAccount(grpc::CallbackServerContext* context,
                                                    const v1::GetAccountRequest* request,
                                                    v1::Account* response) {
  return Read(
      context, "GetAccount", [this, request] { return engine_->GetAccount(request->account_id()); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::ListAccounts(grpc::CallbackServerContext* context,
                                                      const v1::ListAccountsRequest* request,
                                                      v1::ListAccountsResponse* response) {
  return Read(
      context, "ListAccounts", [this, request] { return engine_->ListAccounts(*request); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::ListTransfers(grpc::CallbackServerContext* context,
                                                       const v1::ListTransfersRequest* request,
                                                       v1::ListTransfersResponse* response) {
  return Read(
      context, "ListTransfers", [this, request] { return engine_->ListTransfers(*request); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::GetHold(grpc::CallbackServerContext* context,
                                                 const v1::GetHoldRequest* request,
                                                 v1::Hold* response) {
  return Read(
      context, "GetHold", [this, request] { return engine_->GetHold(request->hold_id()); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::GetContract(grpc::CallbackServerContext* context,
                                                     const v1::GetContractRequest* request,
                                                     v1::Contract* response) {
  return Read(
      context, "GetContract",
      [this, request] { return engine_->GetContract(request->contract_id()); }, response);
}

grpc::ServerUnaryReactor* EscrowService::ListContracts(grpc::CallbackServerContext* context,
                                                       const v1::ListContractsRequest* request,
                                                       v1::ListContractsResponse* response) {
  return Read(
      context, "ListContracts", [this, request] { return engine_->ListContracts(*request); },
      response);
}

grpc::ServerUnaryReactor* EscrowService::ListJournalRecords(
    grpc::CallbackServerContext* context, const v1::ListJournalRecordsRequest* request,
    v1::ListJournalRecordsResponse* response) {
  return Read(
      context, "ListJournalRecords",
      [this, request] { return engine_->ListJournalRecords(*request); }, response);
}

}  // namespace argentpoche
