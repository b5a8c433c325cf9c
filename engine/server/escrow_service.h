// The EscrowEngine gRPC service (callback API) over an Engine: mutating methods hand
// the signed command to the engine with the call's origin (the peer's certificate
// identities under mTLS, the peer for rate limits, the time left before the deadline)
// and finish when the writer has answered, so no gRPC thread blocks on a commit. Reads
// are charged to the peer's rate limit, skipped when the call is already cancelled or
// past its deadline (CANCELLED "CALL_CANCELLED", DEADLINE_EXCEEDED
// "CALL_DEADLINE_EXCEEDED"), and answer from the committed store.
// Thread-safe. `engine` must outlive the service.
#ifndef ARGENTPOCHE_ENGINE_SERVER_ESCROW_SERVICE_H_
#define ARGENTPOCHE_ENGINE_SERVER_ESCROW_SERVICE_H_

#include <functional>
#include <string_view>

#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "engine/engine.h"

namespace argentpoche {

class EscrowService final : public v1::EscrowEngine::CallbackService {
 public:
  // `mutual_tls`: the server requires and verifies client certificates, so each call's
  // certificate identities bind the commands it may send.
  EscrowService(Engine* engine, bool mutual_tls) : engine_(engine), mutual_tls_(mutual_tls) {}

  grpc::ServerUnaryReactor* GetEngineInfo(grpc::CallbackServerContext* context,
                                          const v1::GetEngineInfoRequest* request,
                                          v1::EngineInfo* response) override;

  grpc::ServerUnaryReactor* RegisterParty(grpc::CallbackServerContext* context,
                                          const v1::SignedCommand* request,
                                          v1::Party* response) override;
  grpc::ServerUnaryReactor* GetParty(grpc::CallbackServerContext* context,
                                     const v1::GetPartyRequest* request,
                                     v1::Party* response) override;

  grpc::ServerUnaryReactor* OpenAccount(grpc::CallbackServerContext* context,
                                        const v1::SignedCommand* request,
                                        v1::Account* response) override;
  grpc::ServerUnaryReactor* CreditAccount(grpc::CallbackServerContext* context,
                                          const v1::SignedCommand* request,
                                          v1::Transfer* response) override;
  grpc::ServerUnaryReactor* DebitAccount(grpc::CallbackServerContext* context,
                                         const v1::SignedCommand* request,
                                         v1::Transfer* response) override;
  grpc::ServerUnaryReactor* GetAccount(grpc::CallbackServerContext* context,
                                       const v1::GetAccountRequest* request,
                                       v1::Account* response) override;
  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const v1::ListAccountsRequest* request,
                                         v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* ListTransfers(grpc::CallbackServerContext* context,
                                          const v1::ListTransfersRequest* request,
                                          v1::ListTransfersResponse* response) override;

  grpc::ServerUnaryReactor* CreateHold(grpc::CallbackServerContext* context,
                                       const v1::SignedCommand* request,
                                       v1::Hold* response) override;
  grpc::ServerUnaryReactor* ReleaseHold(grpc::CallbackServerContext* context,
                                        const v1::SignedCommand* request,
                                        v1::Hold* response) override;
  grpc::ServerUnaryReactor* VoidHold(grpc::CallbackServerContext* context,
                                     const v1::SignedCommand* request, v1::Hold* response) override;
  grpc::ServerUnaryReactor* GetHold(grpc::CallbackServerContext* context,
                                    const v1::GetHoldRequest* request, v1::Hold* response) override;

  grpc::ServerUnaryReactor* CreateContract(grpc::CallbackServerContext* context,
                                           const v1::SignedCommand* request,
                                           v1::Contract* response) override;
  grpc::ServerUnaryReactor* SignContract(grpc::CallbackServerContext* context,
                                         const v1::SignedCommand* request,
                                         v1::Contract* response) override;
  grpc::ServerUnaryReactor* FundContract(grpc::CallbackServerContext* context,
                                         const v1::SignedCommand* request,
                                         v1::Contract* response) override;
  grpc::ServerUnaryReactor* ProposeSplit(grpc::CallbackServerContext* context,
                                         const v1::SignedCommand* request,
                                         v1::Contract* response) override;
  grpc::ServerUnaryReactor* AcceptSplit(grpc::CallbackServerContext* context,
                                        const v1::SignedCommand* request,
                                        v1::Contract* response) override;
  grpc::ServerUnaryReactor* DisputeContract(grpc::CallbackServerContext* context,
                                            const v1::SignedCommand* request,
                                            v1::Contract* response) override;
  grpc::ServerUnaryReactor* DecideContract(grpc::CallbackServerContext* context,
                                           const v1::SignedCommand* request,
                                           v1::Contract* response) override;
  grpc::ServerUnaryReactor* GetContract(grpc::CallbackServerContext* context,
                                        const v1::GetContractRequest* request,
                                        v1::Contract* response) override;
  grpc::ServerUnaryReactor* ListContracts(grpc::CallbackServerContext* context,
                                          const v1::ListContractsRequest* request,
                                          v1::ListContractsResponse* response) override;
  grpc::ServerUnaryReactor* ListJournalRecords(grpc::CallbackServerContext* context,
                                               const v1::ListJournalRecordsRequest* request,
                                               v1::ListJournalRecordsResponse* response) override;

  // Oracles and conditional contracts.
  grpc::ServerUnaryReactor* EndorseContract(grpc::CallbackServerContext* context,
                                            const v1::SignedCommand* request,
                                            v1::Contract* response) override;
  grpc::ServerUnaryReactor* RevealPreimage(grpc::CallbackServerContext* context,
                                           const v1::SignedCommand* request,
                                           v1::Contract* response) override;
  grpc::ServerUnaryReactor* RegisterOracle(grpc::CallbackServerContext* context,
                                           const v1::SignedCommand* request,
                                           v1::Oracle* response) override;
  grpc::ServerUnaryReactor* RotateOracleKey(grpc::CallbackServerContext* context,
                                            const v1::SignedCommand* request,
                                            v1::Oracle* response) override;
  grpc::ServerUnaryReactor* RevokeOracle(grpc::CallbackServerContext* context,
                                         const v1::SignedCommand* request,
                                         v1::Oracle* response) override;
  grpc::ServerUnaryReactor* AnnounceEvent(grpc::CallbackServerContext* context,
                                          const v1::SignedCommand* request,
                                          v1::OracleEvent* response) override;
  grpc::ServerUnaryReactor* SubmitAttestation(grpc::CallbackServerContext* context,
                                              const v1::SignedCommand* request,
                                              v1::AttestationReceipt* response) override;
  grpc::ServerUnaryReactor* GetOracle(grpc::CallbackServerContext* context,
                                      const v1::GetOracleRequest* request,
                                      v1::Oracle* response) override;
  grpc::ServerUnaryReactor* ListOracles(grpc::CallbackServerContext* context,
                                        const v1::ListOraclesRequest* request,
                                        v1::ListOraclesResponse* response) override;
  grpc::ServerUnaryReactor* GetOracleEvent(grpc::CallbackServerContext* context,
                                           const v1::GetOracleEventRequest* request,
                                           v1::OracleEvent* response) override;
  grpc::ServerUnaryReactor* ListAttestations(grpc::CallbackServerContext* context,
                                             const v1::ListAttestationsRequest* request,
                                             v1::ListAttestationsResponse* response) override;
  grpc::ServerUnaryReactor* GetEquivocationProof(grpc::CallbackServerContext* context,
                                                 const v1::GetEquivocationProofRequest* request,
                                                 v1::EquivocationProof* response) override;

 private:
  using Fill = std::function<void(v1::CommandResult&)>;
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* context,
                                   const v1::SignedCommand& request,
                                   v1::Command::ActionCase expected, Fill fill);
  // Admits the read (cancellation, deadline, rate limit), then answers with `read()`.
  template <typename Message, typename ReadFunction>
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context, std::string_view method,
                                 ReadFunction read, Message* response);
  [[nodiscard]] absl::Status AdmitRead(grpc::CallbackServerContext* context,
                                       std::string_view method);

  Engine* const engine_;
  const bool mutual_tls_;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SERVER_ESCROW_SERVICE_H_
