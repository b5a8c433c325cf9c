// CrashClient: one client thread of the crash harness. It owns three parties (test
// keys), enrolls them with EUR and JPY accounts, then runs a seeded random mix until
// told to stop: operator credits, holds with short real-time expiries (locked,
// released in full or in part, voided, or left to expire), deposit lifecycles (create,
// three signatures, fund, then agreed, disputed and decided, left to the contest
// window, left to the return deadline, or never funded) with deadlines a few seconds
// ahead, conditional contracts between its parties with its three oracles (a weather
// cover written in the condition language, or an option from its template, both observed
// a few seconds ahead: created, signed, funded, the event announced, then settled by the
// second attestation of a 2-of-3 quorum, or left to the refund at a hard deadline a few
// seconds later), and blind re-sends of commands it already got acknowledged. Every
// contract it sees ended goes to SettledContracts with its receipt.
//
// Every command is signed once; when a call fails in doubt (the engine was killed),
// the client keeps the exact signed bytes and sends them again once the engine is back,
// until it gets a definitive answer. Acknowledged commands go to the AcknowledgedLog.
// An answer that no correct engine gives (a reused request id, an unknown signer, a
// re-send answered differently, an internal error) is recorded as a violation.
//
// Not thread-safe: one thread runs one client.
#ifndef ARGENTPOCHE_TESTS_CRASH_CRASH_CLIENT_H_
#define ARGENTPOCHE_TESTS_CRASH_CRASH_CLIENT_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "engine/crypto.h"
#include "tests/crash/crash_records.h"
#include "tests/crash/engine_link.h"

namespace argentpoche::crash {

// What the clients share with each other and the harness; everything is borrowed.
struct ClientShared {
  EngineLink* link = nullptr;
  AcknowledgedLog* log = nullptr;
  IssuedMoney* issued = nullptr;
  SettledContracts* settled = nullptr;
  Violations* violations = nullptr;
  ClientCounters* counters = nullptr;
  // The issuer's operator, who credits accounts.
  const SigningKey* operator_key = nullptr;
  // Deadline of one call.
  int64_t call_timeout_ms = 10000;
};

class CrashClient {
 public:
  CrashClient(int index, uint64_t seed, ClientShared shared);
  // Enrolls the parties, then runs operations until the link asks to stop.
  void Run();

 private:
  // How a command ended for this client.
  enum class Fate {
    kAcknowledged,
    // Definitively not applied (refused, or refused as stale after a restart).
    kRefused,
    // Given up without an answer (the run is shutting down): may or may not be applied.
    kUnknown,
  };
  struct Answer {
    Fate fate = Fate::kUnknown;
    // The serialized answer when acknowledged.
    std::string response;
  };
  struct OpenHold {
    std::string id;
    int payer = 0;
    int beneficiary = 0;
    std::string currency;
    int64_t minor_units = 0;
  };
  // How a deposit is meant to end.
  enum class Plan {
    kNeverFunded,
    kLeftToReturnDeadline,
    kAgreed,
    kLeftToContestWindow,
    kArbitrated
  };
  struct Deposit {
    std::string id;
    std::string terms_hash;
    int tenant = 0;
    int landlord = 0;
    int arbiter = 0;
    std::string currency;
    int64_t minor_units = 0;
    Plan plan = Plan::kAgreed;
    // Signatures made so far, then further steps.
    int step = 0;
    // Signatures before giving up, for kNeverFunded.
    int signatures_wanted = 3;
    uint32_t proposal_number = 0;
    int proposer = 0;
  };

  // Signs `command` as `signer` with a new request id and delivers it.
  Answer Execute(v1::Command::ActionCase action, const SigningKey& signer, v1::Command command);
  // Sends `request` until a definitive answer. After a failure in doubt it sends the
  // same bytes again, or half of the time the same command signed again by `signer`
  // with the current time (the engine must see the same request). With `previous` (a
  // blind re-send of an acknowledged command), the answer must be exactly the first one.
  Answer Deliver(v1::Command::ActionCase action, v1::SignedCommand request,
                 const SigningKey& signer, const Acknowledged* previous);
  // The key of one of this client's parties, or the operator's.
  const SigningKey& KeyOf(const std::string& party_id) const;
  static bool RefusalAllowed(const grpc::Status& status);

  bool Enroll();
  void Credit();
  void LockHold();
  void ResolveHold(bool release);
  void AdvanceDeposit();
  void CreateDeposit();
  // Runs the next step of `deposit`; false when the deposit is done with.
  bool StepDeposit(Deposit& deposit);
  void BlindRetry();

  // Conditional contracts (crash_covers.cc).
  struct Cover {
    std::string id;
    std::string terms_hash;
    int insurer = 0;
    int insured = 0;
    bool has_premium = false;
    std::string feed;
    std::string event_id;
    // When the value is known (attested from then on), and the hard deadline.
    int64_t observe_at_ms = 0;
    int64_t hard_deadline_ms = 0;
    // Left without attestations: refunded at the hard deadline.
    bool left_to_refund = false;
    int step = 0;
  };
  bool EnrollOracles();
  void AdvanceCover();
  void CreateCover();
  // Runs the next step of `cover`; false when the cover is done with.
  bool StepCover(Cover& cover);
  // Reads the contract; when it ended, records its receipt (a violation if another one
  // was seen before) and returns its state; UNSPECIFIED when it cannot be read now.
  v1::ContractState Observe(const std::string& contract_id);

  std::string AccountOf(int party, const std::string& currency) const;
  std::string RandomCurrency();
  int64_t Uniform(int64_t low, int64_t high);
  std::string Describe(const v1::SignedCommand& request) const;

  const int index_;
  ClientShared shared_;
  std::mt19937_64 random_;
  std::vector<std::unique_ptr<SigningKey>> parties_;
  int64_t next_request_ = 0;
  bool link_closed_ = false;
  std::vector<OpenHold> holds_;
  std::vector<Deposit> deposits_;
  std::vector<Cover> covers_;
  std::vector<std::shared_ptr<const Acknowledged>> mine_;
};

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_CRASH_CLIENT_H_
