// What the crash harness remembers while it runs, shared by the client threads and the
// killer thread: every acknowledged command with its exact signed bytes and the first
// answer (AcknowledgedLog), the money the operator credited (IssuedMoney, to check the
// float exactly once), the violations found (Violations) and operation counts.
//
// Thread-safe.
#ifndef ARGENTPOCHE_TESTS_CRASH_CRASH_RECORDS_H_
#define ARGENTPOCHE_TESTS_CRASH_CRASH_RECORDS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"

namespace argentpoche::crash {

// A command the engine acknowledged (answered OK).
struct Acknowledged {
  v1::Command::ActionCase action = v1::Command::ACTION_NOT_SET;
  std::string caller_party_id;
  std::string request_id;
  // Exactly the bytes sent: a re-send must be answered with `response` again.
  v1::SignedCommand signed_command;
  // Earlier signings of the same command that failed in doubt (retries may be signed
  // again): the journal holds the one the engine applied, this or `signed_command`.
  std::vector<v1::SignedEnvelope> earlier_signings;
  // The serialized first answer (Party, Account, Transfer, Hold or Contract).
  std::string response;
  // The engine run that answered (EngineLink generation).
  int64_t generation = 0;
};

// The Command inside a signed command envelope (body = tag line + serialized Command);
// an empty Command when the body is not one.
v1::Command CommandOf(const v1::SignedEnvelope& envelope);

class AcknowledgedLog {
 public:
  void Add(std::shared_ptr<const Acknowledged> acknowledged);
  size_t size() const;
  // The record at `index` (< size()); records are never removed.
  std::shared_ptr<const Acknowledged> at(size_t index) const;
  // Acknowledgements answered by engine run `generation`.
  int64_t CountInGeneration(int64_t generation) const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Acknowledged>> records_;
  std::map<int64_t, int64_t> per_generation_;
};

// Operator credits per currency: acknowledged ones are applied exactly once; credits
// sent but not yet answered may or may not be applied. So what the float carries,
// minus its sign, lies in [acknowledged, acknowledged + in_doubt].
class IssuedMoney {
 public:
  struct Range {
    int64_t acknowledged = 0;
    int64_t in_doubt = 0;
  };
  void AddInDoubt(const std::string& currency, int64_t minor_units);
  void Acknowledge(const std::string& currency, int64_t minor_units);
  // The credit was refused: it was not applied.
  void Refuse(const std::string& currency, int64_t minor_units);
  std::map<std::string, Range> Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Range> ranges_;
};

// Contracts the clients saw ended (settled, refunded or expired) and the receipt they saw
// (a serialized SignedEnvelope): the engine must keep each exactly so, across every kill.
class SettledContracts {
 public:
  // Records the receipt of `contract_id` the first time; false when another receipt was
  // recorded for it before.
  bool Record(const std::string& contract_id, const std::string& receipt);
  // Every contract recorded, with its receipt, in id order.
  std::vector<std::pair<std::string, std::string>> Snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> receipts_;
};

class Violations {
 public:
  // Records a violation; the first kMaxKept descriptions are kept, all are counted.
  void Add(const std::string& description);
  int64_t count() const;
  std::vector<std::string> descriptions() const;

  static constexpr size_t kMaxKept = 50;

 private:
  mutable std::mutex mutex_;
  int64_t count_ = 0;
  std::vector<std::string> descriptions_;
};

// What the clients did, summed over all of them.
struct ClientCounters {
  std::atomic<int64_t> attempted{0};
  std::atomic<int64_t> acknowledged{0};
  // Definitive refusals (insufficient funds, deadline passed, ...), not violations.
  std::atomic<int64_t> refused{0};
  // Same signed bytes sent again after an in-doubt failure (a kill, mostly).
  std::atomic<int64_t> retries{0};
  // Acknowledged commands sent again on purpose; each must answer the same.
  std::atomic<int64_t> blind_retries{0};
  // Retries (in doubt or blind) of a command signed again with a later time.
  std::atomic<int64_t> signed_again{0};
  // Commands given up on: refused as stale after a restart, never acknowledged.
  std::atomic<int64_t> abandoned{0};
  // Conditional contracts funded; seen settled by an attestation completing their quorum;
  // seen refunded at their hard deadline (left without attestations, or the engine down).
  std::atomic<int64_t> covers_funded{0};
  std::atomic<int64_t> covers_settled{0};
  std::atomic<int64_t> covers_refunded{0};
};

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_CRASH_RECORDS_H_
