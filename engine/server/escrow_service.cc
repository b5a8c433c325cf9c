#include "engine/server/escrow_service.h"

#include <utility>

#include "engine/server/grpc_status.h"

namespace argentpoche {
namespace {

// Finishes a read: copies the value into the response, or the error.
template <typename Message>
grpc::ServerUnaryReactor* FinishRead(grpc::CallbackServerContext* context,
                                     absl::StatusOr<Message> result, Message* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (result.ok()) *response = *std::move(result);
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* EscrowService::Mutate(grpc::CallbackServerContext* context,
                                                const v1::SignedCommand& request,
                                                v1::Command::ActionCase expected, Fill fill) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  engine_->Submit(request, expected,
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
#undef POCHE_MUTATION

grpc::ServerUnaryReactor* EscrowService::GetEngineInfo(grpc::CallbackServerContext* context,
                                                       const v1::GetEngineInfoRequest*,
                                                       v1::EngineInfo* response) {
  return FinishRead(context, absl::StatusOr<v1::EngineInfo>(engine_->Info()), response);
}

grpc::ServerUnaryReactor* EscrowService::GetParty(grpc::CallbackServerContext* context,
                                                  const v1::GetPartyRequest* request,
                                                  v1::Party* response) {
  return FinishRead(context, engine_->GetParty(request->party_id()), response);
}

grpc::ServerUnaryReactor* EscrowService::GetAccount(grpc::CallbackServerContext* context,
                                                    const v1::GetAccountRequest* request,
                                                    v1::Account* response) {
  return FinishRead(context, engine_->GetAccount(request->account_id()), response);
}

grpc::ServerUnaryReactor* EscrowService::ListAccounts(grpc::CallbackServerContext* context,
                                                      const v1::ListAccountsRequest* request,
                                                      v1::ListAccountsResponse* response) {
  return FinishRead(context, engine_->ListAccounts(*request), response);
}

grpc::ServerUnaryReactor* EscrowService::ListTransfers(grpc::CallbackServerContext* context,
                                                       const v1::ListTransfersRequest* request,
                                                       v1::ListTransfersResponse* response) {
  return FinishRead(context, engine_->ListTransfers(*request), response);
}

grpc::ServerUnaryReactor* EscrowService::GetHold(grpc::CallbackServerContext* context,
                                                 const v1::GetHoldRequest* request,
                                                 v1::Hold* response) {
  return FinishRead(context, engine_->GetHold(request->hold_id()), response);
}

grpc::ServerUnaryReactor* EscrowService::GetContract(grpc::CallbackServerContext* context,
                                                     const v1::GetContractRequest* request,
                                                     v1::Contract* response) {
  return FinishRead(context, engine_->GetContract(request->contract_id()), response);
}

grpc::ServerUnaryReactor* EscrowService::ListContracts(grpc::CallbackServerContext* context,
                                                       const v1::ListContractsRequest* request,
                                                       v1::ListContractsResponse* response) {
  return FinishRead(context, engine_->ListContracts(*request), response);
}

grpc::ServerUnaryReactor* EscrowService::ListJournalRecords(
    grpc::CallbackServerContext* context, const v1::ListJournalRecordsRequest* request,
    v1::ListJournalRecordsResponse* response) {
  return FinishRead(context, engine_->ListJournalRecords(*request), response);
}

}  // namespace argentpoche
