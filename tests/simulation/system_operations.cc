// Operations on the engine as a whole: blind retries of acknowledged commands (the
// same signed bytes, or signed again later: the first answer, nothing moves again),
// retries of commands whose commit failed under an injected fault (applied once, or
// refused if the world moved on), a request id reused for another command, the clock
// moving (deadlines fire), and restarts over the same store.
#include "engine/command_signing.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {
namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kMinuteMs = 60 * kSecondMs;
constexpr int64_t kHourMs = 60 * kMinuteMs;

// Mostly short moves (within the command skew), sometimes hours or days.
int64_t RandomDelay(Simulation& s) {
  const uint64_t size = s.Below(10);
  if (size < 4) return s.Between(kSecondMs, 2 * kMinuteMs);
  if (size < 7) return s.Between(2 * kMinuteMs, 30 * kMinuteMs);
  if (size < 9) return s.Between(30 * kMinuteMs, 6 * kHourMs);
  return s.Between(6 * kHourMs, 72 * kHourMs);
}

}  // namespace

void AddSystemOperations(std::vector<Operation>& operations) {
  operations.push_back(
      {"retry an acknowledged command", 6, [](Simulation& s) -> absl::StatusOr<bool> {
         if (s.acknowledged().empty()) return false;
         const v1::SignedCommand& request = s.Pick(s.acknowledged());
         return Done(s.Send(s.Percent(70) ? request : s.SignAgain(request)));
       }});
  operations.push_back({"retry a failed command", 12, [](Simulation& s) -> absl::StatusOr<bool> {
                          if (s.failed().empty()) return false;
                          const v1::SignedCommand request = s.failed().front();
                          s.failed().pop_front();
                          return Done(s.Send(s.Percent(80) ? request : s.SignAgain(request)));
                        }});
  operations.push_back(
      {"reuse a request id for another command", 1, [](Simulation& s) -> absl::StatusOr<bool> {
         if (s.acknowledged().empty()) return false;
         const CommandView first = s.ViewOf(s.Pick(s.acknowledged()));
         v1::Command other;
         other.set_request_id(first.command.request_id());
         other.mutable_open_account()->set_currency("CHF");
         return Done(
             s.Send(SignCommand(other, s.KeyOf(first.signer_id), s.now()), "REQUEST_ID_REUSED"));
       }});
  operations.push_back(
      {"let time pass", 8, [](Simulation& s) { return Done(s.AdvanceClock(RandomDelay(s))); }});
  operations.push_back({"restart the engine", 1, [](Simulation& s) { return Done(s.Restart()); }});
}

}  // namespace argentpoche::simulation
