// Simulation: what a step works with. It owns the engine harness, the model, the
// domains and the seeded random source, and offers operations the few things they do:
// submit a command (the model predicts the answer, the engine gives it, they must
// agree, then the model takes the effects), retry, move the clock and fire deadlines,
// restart the engine, and arm a storage fault for the next write. Checks of the whole
// state live in checks.cc. Deterministic given the seed; not thread-safe.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_SIMULATION_H_
#define ARGENTPOCHE_TESTS_SIMULATION_SIMULATION_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/harness.h"
#include "tests/simulation/model.h"

namespace argentpoche::simulation {

// Counts of what a simulation did, for reports.
struct SimulationCounters {
  uint64_t commands = 0;  // sent to the engine, retries included
  uint64_t applied = 0;
  uint64_t refused = 0;
  uint64_t replayed = 0;       // retries answered with the first answer
  uint64_t commit_failed = 0;  // refused because of an injected storage fault
  uint64_t deadlines = 0;
  uint64_t restarts = 0;
};

class Simulation {
 public:
  // `parties` holders (registered as the run goes) besides the operator and a stranger.
  Simulation(uint64_t seed, int parties, bool count_credits_twice);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Opens the engine and counts the operator's enrollment.
  absl::Status Start();

  // Randomness: an integer in [0, bound) (bound > 0), in [low, high], a chance.
  uint64_t Below(uint64_t bound);
  int64_t Between(int64_t low, int64_t high);
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }
  template <typename Item>
  const Item& Pick(const std::vector<Item>& items) {
    return items[Below(items.size())];
  }

  const Model& model() const { return model_; }
  int64_t now() { return harness_.clock().NowUnixMs(); }
  EngineHarness& harness() { return harness_; }
  const SigningKey& KeyOf(const std::string& party_id) const;
  // Registered holders' ids, in id order.
  std::vector<std::string> RegisteredParties() const;
  // Party accounts (ids) matching `keep`, in id order.
  std::vector<std::string> Accounts(
      const std::function<bool(const std::string&, const ModelAccount&)>& keep) const;

  // Signs `command` as `key` with a new request id at the clock's time and sends it.
  // `meant` names the refusal a deliberately invalid command is meant to provoke: the
  // model must predict exactly that (else the simulator itself is wrong).
  absl::Status Submit(v1::Command command, const SigningKey& key, std::string_view meant = "");
  // Sends a signed command (new or a retry): the engine must answer as predicted.
  absl::Status Send(const v1::SignedCommand& request, std::string_view meant = "");
  // Signs the command of `request` again, at the clock's time, with its request id.
  v1::SignedCommand SignAgain(const v1::SignedCommand& request) const;
  // The command inside `request` and its signer.
  CommandView ViewOf(const v1::SignedCommand& request) const;

  // Commands acknowledged so far (for blind retries) and commands whose commit failed
  // under an injected fault (to retry later).
  const std::vector<v1::SignedCommand>& acknowledged() const { return acknowledged_; }
  std::deque<v1::SignedCommand>& failed() { return failed_; }

  // Moves the clock forward, then fires every due deadline (through an armed fault
  // first, if any: nothing may change) and applies them to the model.
  absl::Status AdvanceClock(int64_t delta_ms);
  // Destroys the engine and opens a new one over the same store: the journal head and
  // everything acknowledged must still be there.
  absl::Status Restart();

  // Makes the next store write fail (UNAVAILABLE), once; DisarmFault cancels it.
  void ArmFault() { fault_armed_ = true; }
  void DisarmFault();

  // Compares the whole engine with the model (checks.cc). `full` also compares the
  // resolved holds and final contracts and counts every record; `verify_journal`
  // recomputes the journal's hash chain.
  absl::Status CheckInvariants(bool full, bool verify_journal);
  // The journal head hash, hex.
  std::string JournalHeadHash();

  // Words about the current step, for traces and violation messages.
  void Note(const std::string& words);
  std::string TakeNotes();
  void set_step(int step) { step_ = step; }
  const SimulationCounters& counters() const { return counters_; }
  const std::vector<std::unique_ptr<Domain>>& domains() const { return domains_; }

 private:
  Expectation Predict(const CommandView& view);
  const Domain& DomainOf(const v1::Command& command) const;
  absl::Status CheckAnswer(const v1::SignedCommand& request, const CommandView& view,
                           const Expectation& expected, bool faulted,
                           const absl::StatusOr<v1::CommandResult>& answer);
  uint64_t FireDueInModel(Model& model, int64_t now) const;
  absl::Status FireDeadlines(bool faulted);

  std::mt19937_64 random_;
  EngineHarness harness_;
  Model model_;
  std::vector<std::unique_ptr<Domain>> domains_;
  std::vector<v1::SignedCommand> acknowledged_;
  std::deque<v1::SignedCommand> failed_;
  bool fault_armed_ = false;
  int step_ = 0;
  uint64_t requests_sent_ = 0;
  std::string notes_;
  SimulationCounters counters_;
};

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_SIMULATION_H_
