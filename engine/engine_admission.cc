// Engine's front door: verification, then what the origin of a request decides (peer
// binding, rate limits, the caller's deadline), the refusal log, and queueing.
#include "engine/engine.h"
#include "engine/event_log.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "engine/sync.h"

namespace argentpoche {
namespace {

// The refusal log line. Only what identifies the request is logged: never the command
// bytes, the signature or any key.
void LogRefusal(const absl::Status& status, std::string_view method, const RequestOrigin& origin,
                const v1::Command* command) {
  LogEvent(kEngineComponent, "request_refused",
           {{"method", std::string(method)},
            {"code", absl::StatusCodeToString(status.code())},
            {"reason", ReasonOf(status)},
            {"message", std::string(status.message())},
            {"caller", command == nullptr ? "" : command->caller_party_id()},
            {"request_id", command == nullptr ? "" : command->request_id()},
            {"peer", origin.peer}});
}

}  // namespace

RateDecision Engine::ChargePeer(const RequestOrigin& origin) {
  return rate_limiter_.Acquire(Concat("peer:", origin.peer), Concat("peer ", origin.peer));
}

Engine::Admission Engine::Admit(const VerifiedCommand& verified, const RequestOrigin& origin) {
  if (!origin.remote) return Admission{};
  const v1::Command& command = verified.command;
  if (origin.peer_authenticated && !origin.PeerIs(command.caller_party_id())) {
    // Charged to the peer, so that trying other parties' commands costs it too.
    const RateDecision charged = ChargePeer(origin);
    if (!charged.status.ok()) return Admission{charged.status, charged.first_refusal};
    return Admission{PermissionDenied(
        "CALLER_NOT_PEER",
        Concat("the command is signed by party ", command.caller_party_id(),
               " but the client certificate of this connection does not name that party: "
               "send it with a certificate issued for argentpoche:party:",
               command.caller_party_id()))};
  }
  // A new key costs nothing to make, so registrations are charged to the peer; every
  // other command to its verified caller.
  const RateDecision charged =
      command.has_register_party()
          ? ChargePeer(origin)
          : rate_limiter_.Acquire(Concat("party:", command.caller_party_id()),
                                  Concat("party ", command.caller_party_id()));
  if (!charged.status.ok()) return Admission{charged.status, charged.first_refusal};
  if (origin.time_left_ms == 0) {
    return Admission{Error(absl::StatusCode::kDeadlineExceeded, "CALL_DEADLINE_EXCEEDED",
                           "the call's deadline had passed when the command arrived; nothing "
                           "was applied: retry with the same request_id")};
  }
  return Admission{};
}

void Engine::Submit(const v1::SignedCommand& request, v1::Command::ActionCase expected, Done done) {
  Submit(request, expected, RequestOrigin(), std::move(done));
}

void Engine::Submit(const v1::SignedCommand& request, v1::Command::ActionCase expected,
                    const RequestOrigin& origin, Done done) {
  const std::string method = MethodOf(expected);
  absl::StatusOr<VerifiedCommand> verified = verifier_.Verify(request, expected);
  if (!verified.ok()) {
    if (!origin.remote) {
      done(verified.status());
      return;
    }
    // Not a verified party: the attempt is charged to the peer that sent it.
    const RateDecision charged = ChargePeer(origin);
    const Admission refused = charged.status.ok()
                                  ? Admission{verified.status()}
                                  : Admission{charged.status, charged.first_refusal};
    if (refused.log) LogRefusal(refused.status, method, origin, nullptr);
    done(refused.status);
    return;
  }
  const Admission admission = Admit(*verified, origin);
  if (!admission.status.ok()) {
    if (admission.log) LogRefusal(admission.status, method, origin, &verified->command);
    done(admission.status);
    return;
  }
  Pending pending;
  if (origin.remote && origin.time_left_ms > 0) {
    pending.answer_by_unix_ms = clock_->NowUnixMs() + origin.time_left_ms;
  }
  if (origin.remote) {
    // Refusals by the writer (funds, state, staleness...) are logged when answered.
    done = [done = std::move(done), method, origin,
            command = verified->command](absl::StatusOr<v1::CommandResult> result) {
      if (!result.ok()) LogRefusal(result.status(), method, origin, &command);
      done(std::move(result));
    };
  }
  pending.command = std::make_unique<VerifiedCommand>(*std::move(verified));
  pending.done = std::move(done);
  Enqueue(std::move(pending));
}

absl::StatusOr<v1::CommandResult> Engine::Execute(const v1::SignedCommand& request,
                                                  v1::Command::ActionCase expected,
                                                  const RequestOrigin& origin) {
  Notification finished;
  absl::StatusOr<v1::CommandResult> answer;
  Submit(request, expected, origin, [&](absl::StatusOr<v1::CommandResult> result) {
    answer = std::move(result);
    finished.Notify();
  });
  finished.Wait();
  return answer;
}

absl::Status Engine::AdmitRead(const RequestOrigin& origin, std::string_view method) {
  if (!origin.remote) return absl::OkStatus();
  const RateDecision charged = ChargePeer(origin);
  if (!charged.status.ok() && charged.first_refusal) {
    LogRefusal(charged.status, method, origin, nullptr);
  }
  return charged.status;
}

void Engine::HoldWriterForTesting(bool held) {
  MutexLock lock(&mutex_);
  writer_held_ = held;
  writer_wakeup_.SignalAll();
}

size_t Engine::queued_commands() const {
  MutexLock lock(&mutex_);
  return queue_.size();
}

}  // namespace argentpoche
