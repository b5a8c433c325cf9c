// Engine: the escrow engine's core service, independent of gRPC. Requests are verified
// in the caller's thread (in parallel), then one writer thread applies them in order,
// in batches: each command in its own savepoint (a failing command changes nothing),
// the whole batch one atomic, synced Store write (group commit). Only after that write
// succeeds are callers answered, so nothing is acknowledged before it is durable and
// the engine holds no state in memory that could run ahead of the store. Deadlines
// are fired through the same writer. Reads go straight to the committed store.
//
// Requests from the network carry a RequestOrigin: with mTLS a command's caller must be
// one of the peer's certificate identities (PERMISSION_DENIED "CALLER_NOT_PEER"); each
// caller has a token bucket (RESOURCE_EXHAUSTED "RATE_LIMITED"); a command whose caller
// stopped waiting before the writer reached it is not applied (DEADLINE_EXCEEDED
// "CALL_DEADLINE_EXCEEDED"); every refusal is logged as one JSON line (code, reason,
// method, caller, request id, peer: never command bytes, signatures or keys).
//
// Thread-safe. `store` and `clock` must outlive the Engine.
#ifndef ARGENTPOCHE_ENGINE_ENGINE_H_
#define ARGENTPOCHE_ENGINE_ENGINE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "argentpoche/v1/journal.pb.h"
#include "engine/apply_context.h"
#include "engine/clock.h"
#include "engine/command_verifier.h"
#include "engine/crypto.h"
#include "engine/limits.h"
#include "engine/rate_limiter.h"
#include "engine/request_origin.h"
#include "engine/store.h"
#include "engine/sync.h"
#include "engine/transaction.h"

namespace argentpoche {

struct EngineOptions {
  // Ed25519 public keys (32 raw bytes) of the issuer's operators, enrolled at start.
  std::vector<std::string> operator_public_keys;
  // Commands whose issued_at is further than this from the engine clock are refused.
  int64_t max_command_skew_ms = limits::kDefaultMaxCommandSkewMs;
  // Commands applied per atomic write: 1 means one fsync per command.
  size_t max_batch_commands = limits::kMaxBatchCommands;
  WriteMode write_mode = WriteMode::kSync;
  // 0: no scheduler thread (tests call FireDueDeadlines themselves).
  int64_t scheduler_poll_ms = 200;
  // Per-caller token buckets for requests from the network (RequestOrigin::remote).
  RateLimitOptions rate_limit;
};

class Engine {
 public:
  using Done = std::function<void(absl::StatusOr<v1::CommandResult>)>;

  // Opens the engine over `store`, enrolling the configured operators. `receipt_key`
  // signs settlement receipts. INVALID_ARGUMENT "BAD_RATE_LIMIT" for rate limit options
  // out of range.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Engine>> Open(Store* store,
                                                                    const Clock* clock,
                                                                    SigningKey receipt_key,
                                                                    EngineOptions options);
  // Stops the scheduler, applies what is queued, then stops the writer.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Verifies `request` (whose action must be `expected`), admits it for `origin` (peer
  // binding, rate limit, deadline: see the file comment) and queues it; `done` runs
  // once, on the responder thread (or at once when the request is refused before
  // queueing), with the result or the error. A retry with the same request_id gets the
  // first result.
  void Submit(const v1::SignedCommand& request, v1::Command::ActionCase expected,
              const RequestOrigin& origin, Done done);
  // Submit from inside the process (a default RequestOrigin).
  void Submit(const v1::SignedCommand& request, v1::Command::ActionCase expected, Done done);
  // Submit, waiting for the answer.
  [[nodiscard]] absl::StatusOr<v1::CommandResult> Execute(const v1::SignedCommand& request,
                                                          v1::Command::ActionCase expected,
                                                          const RequestOrigin& origin = {});

  // Charges a read from `origin` to its peer's bucket: OK, or RESOURCE_EXHAUSTED
  // "RATE_LIMITED" (the first refusal of a streak is logged). Always OK for local calls.
  [[nodiscard]] absl::Status AdmitRead(const RequestOrigin& origin, std::string_view method);

  // Fires every deadline due by now (through the writer); returns how many fired.
  [[nodiscard]] absl::StatusOr<size_t> FireDueDeadlines();

  // Reads of committed state. NOT_FOUND with a reason when absent; page tokens are
  // opaque; INVALID_ARGUMENT "BAD_PAGE_TOKEN" for a token this list did not give.
  [[nodiscard]] v1::EngineInfo Info() const;
  [[nodiscard]] absl::StatusOr<v1::Party> GetParty(const std::string& party_id) const;
  [[nodiscard]] absl::StatusOr<v1::Account> GetAccount(const std::string& account_id) const;
  [[nodiscard]] absl::StatusOr<v1::ListAccountsResponse> ListAccounts(
      const v1::ListAccountsRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::ListTransfersResponse> ListTransfers(
      const v1::ListTransfersRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::Hold> GetHold(const std::string& hold_id) const;
  [[nodiscard]] absl::StatusOr<v1::Contract> GetContract(const std::string& contract_id) const;
  [[nodiscard]] absl::StatusOr<v1::ListContractsResponse> ListContracts(
      const v1::ListContractsRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::Oracle> GetOracle(const std::string& party_id) const;
  [[nodiscard]] absl::StatusOr<v1::ListOraclesResponse> ListOracles(
      const v1::ListOraclesRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::OracleEvent> GetOracleEvent(const std::string& feed,
                                                               const std::string& event_id) const;
  [[nodiscard]] absl::StatusOr<v1::ListAttestationsResponse> ListAttestations(
      const v1::ListAttestationsRequest& request) const;
  [[nodiscard]] absl::StatusOr<v1::EquivocationProof> GetEquivocationProof(
      const std::string& id) const;
  [[nodiscard]] absl::StatusOr<v1::ListJournalRecordsResponse> ListJournalRecords(
      const v1::ListJournalRecordsRequest& request) const;

  // Commits applied so far (batches written), for metrics and tests.
  uint64_t batches_committed() const;

  // For tests: while held, the writer leaves queued commands waiting (it still applies
  // them when the engine stops). queued_commands() says how many wait.
  void HoldWriterForTesting(bool held);
  size_t queued_commands() const;

 private:
  // A command or a deadline waiting for the writer.
  struct Pending {
    std::unique_ptr<VerifiedCommand> command;
    v1::DeadlineEvent deadline;
    Done done;
    // Engine time after which the caller no longer waits for `command`; 0 when never.
    int64_t answer_by_unix_ms = 0;
  };
  // Whether a command is admitted, and whether its refusal should be logged.
  struct Admission {
    absl::Status status;
    bool log = true;
  };

  Engine(Store* store, const Clock* clock, SigningKey receipt_key, EngineOptions options);
  [[nodiscard]] absl::Status EnrollOperators();
  // Peer binding and rate limit of a verified command from `origin`.
  [[nodiscard]] Admission Admit(const VerifiedCommand& verified, const RequestOrigin& origin);
  // Charges `origin`'s peer (for reads, registrations and requests that do not verify).
  [[nodiscard]] RateDecision ChargePeer(const RequestOrigin& origin);
  void Enqueue(Pending pending);
  void WriterLoop();
  void ResponderLoop();
  void SchedulerLoop();
  void ApplyBatch(std::vector<Pending>& batch);
  [[nodiscard]] absl::StatusOr<v1::CommandResult> ApplyOne(Transaction& transaction,
                                                           int64_t now_unix_ms,
                                                           const Pending& pending);
  [[nodiscard]] absl::StatusOr<v1::CommandResult> ApplyCommand(ApplyContext& ctx,
                                                               const VerifiedCommand& verified);
  [[nodiscard]] absl::Status ApplyDeadline(ApplyContext& ctx, const v1::DeadlineEvent& event);

  // Constant after construction.
  Store* const store_;
  const Clock* const clock_;
  const SigningKey receipt_key_;
  const EngineOptions options_;
  const CommandVerifier verifier_;
  RateLimiter rate_limiter_;

  mutable Mutex mutex_;
  // Signalled when the writer may have work: a command queued, stopping, released.
  CondVar writer_wakeup_;
  // Signalled when the scheduler must stop.
  CondVar scheduler_wakeup_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool scheduler_stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool writer_held_ ABSL_GUARDED_BY(mutex_) = false;
  uint64_t batches_committed_ ABSL_GUARDED_BY(mutex_) = 0;

  // Answers to send, in commit order, off the writer thread.
  Mutex replies_mutex_;
  // Signalled when an answer is ready or the responder must stop.
  CondVar responder_wakeup_;
  std::deque<std::function<void()>> replies_ ABSL_GUARDED_BY(replies_mutex_);
  bool responder_stopping_ ABSL_GUARDED_BY(replies_mutex_) = false;

  // Only the writer thread touches these.
  int64_t last_now_unix_ms_ = 0;
  ReadCache read_cache_{limits::kWriterCacheEntries};

  std::thread writer_;
  std::thread responder_;
  std::thread scheduler_;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_ENGINE_H_
