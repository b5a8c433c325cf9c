#include "tests/crash/restart_checks.h"

#include <chrono>
#include <thread>

#include "absl/status/statusor.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/crypto.h"
#include "engine/keys.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche::crash {
namespace {

constexpr int kResendAttempts = 3;
constexpr size_t kResendThreads = 4;
// Overdue deadlines named one by one in violations; the rest are counted.
constexpr size_t kMaxNamed = 5;

template <typename Request, typename Response>
grpc::Status Read(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  Stub& stub, const Request& request, Response* response, int64_t timeout_ms) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  return (stub.*method)(&context, request, response);
}

// True while the hold or contract of `event` is still in the state that waits for it.
absl::StatusOr<bool> StillWaiting(Stub& stub, const v1::DeadlineEvent& event, int64_t timeout_ms) {
  if (event.kind() == deadline::kHoldExpiry) {
    v1::GetHoldRequest request;
    request.set_hold_id(event.subject_id());
    v1::Hold hold;
    grpc::Status status = Read(&Stub::GetHold, stub, request, &hold, timeout_ms);
    if (!status.ok()) return absl::UnavailableError(status.error_message());
    return hold.state() == v1::HOLD_STATE_PENDING;
  }
  v1::GetContractRequest request;
  request.set_contract_id(event.subject_id());
  v1::Contract contract;
  grpc::Status status = Read(&Stub::GetContract, stub, request, &contract, timeout_ms);
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  const bool funded = contract.state() == v1::CONTRACT_STATE_FUNDED;
  const bool proposal_open = funded && contract.proposal().number() > 0;
  if (event.kind() == deadline::kFundBy) {
    return contract.state() == v1::CONTRACT_STATE_PROPOSED ||
           contract.state() == v1::CONTRACT_STATE_SIGNED;
  }
  if (event.kind() == deadline::kContestBy) {
    return proposal_open && contract.proposal().contest_by_unix_ms() == event.due_at_unix_ms();
  }
  if (event.kind() == deadline::kReturnBy) return funded && !proposal_open;
  if (event.kind() == deadline::kDecide) {
    return (funded || contract.state() == v1::CONTRACT_STATE_DISPUTED) &&
           contract.conditional().next_decision_unix_ms() == event.due_at_unix_ms();
  }
  return false;
}

// Every contract seen ended is still ended with the same receipt.
void CheckSettled(Stub& stub, const RestartCheckInput& input, Violations* violations) {
  for (const auto& [contract_id, receipt] : input.settled) {
    v1::GetContractRequest request;
    request.set_contract_id(contract_id);
    v1::Contract contract;
    grpc::Status status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "not read");
    for (int attempt = 0; attempt < kResendAttempts && !status.ok(); ++attempt) {
      status = Read(&Stub::GetContract, stub, request, &contract, input.call_timeout_ms);
    }
    if (!status.ok() || contract.receipt().SerializeAsString() != receipt) {
      violations->Add(Concat(input.moment, ": contract ", contract_id,
                             " was seen ended with a receipt, but now ",
                             status.ok() ? "has another one" : status.error_message()));
    }
  }
}

int64_t WaitForOverdueDeadlines(Stub& stub, const RestartCheckInput& input,
                                Violations* violations) {
  std::vector<v1::DeadlineEvent> waiting = input.overdue;
  std::string last_error;
  for (;;) {
    std::vector<v1::DeadlineEvent> still;
    for (const v1::DeadlineEvent& event : waiting) {
      absl::StatusOr<bool> pending = StillWaiting(stub, event, input.call_timeout_ms);
      if (!pending.ok()) last_error = std::string(pending.status().message());
      if (!pending.ok() || *pending) still.push_back(event);
    }
    waiting = std::move(still);
    const int64_t elapsed = WallNowMs() - input.started_ms;
    if (waiting.empty()) return elapsed;
    if (elapsed > input.fire_timeout_ms) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::string named;
  for (size_t i = 0; i < waiting.size() && i < kMaxNamed; ++i) {
    named += Concat(i == 0 ? "" : ", ", waiting[i].kind(), " of ", waiting[i].subject_id(),
                    " due at ", waiting[i].due_at_unix_ms());
  }
  violations->Add(Concat(input.moment, ": ", waiting.size(), " of ", input.overdue.size(),
                         " deadlines overdue at restart had not fired ", input.fire_timeout_ms,
                         " ms after it (", named, ")",
                         last_error.empty() ? "" : Concat("; last read error: ", last_error)));
  return WallNowMs() - input.started_ms;
}

void Resend(Stub& stub, const Acknowledged& acknowledged, const RestartCheckInput& input,
            Violations* violations) {
  grpc::Status status;
  std::string response;
  for (int attempt = 0; attempt < kResendAttempts; ++attempt) {
    status = SendCommand(stub, acknowledged.action, acknowledged.signed_command,
                         input.call_timeout_ms, &response);
    if (!IsInDoubt(status)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string request = keys::Request(acknowledged.caller_party_id, acknowledged.request_id);
  if (!status.ok()) {
    violations->Add(Concat(input.moment, ": the re-sent acknowledged request ", request,
                           " was refused: ", ErrorReason(status), " ", status.error_message()));
  } else if (response != acknowledged.response) {
    violations->Add(Concat(input.moment, ": the re-sent acknowledged request ", request,
                           " was answered differently from the first time"));
  }
}

// Every journal record after the count taken while down must be a deadline's.
void CheckNoCommandApplied(Stub& stub, const RestartCheckInput& input, Violations* violations) {
  v1::ListJournalRecordsRequest request;
  request.set_page_size(1000);
  request.set_page_token(Hex(keys::Padded(input.journal_records)));
  for (int page = 0; page < 1000; ++page) {
    v1::ListJournalRecordsResponse response;
    grpc::Status status =
        Read(&Stub::ListJournalRecords, stub, request, &response, input.call_timeout_ms);
    if (!status.ok()) {
      violations->Add(
          Concat(input.moment, ": the journal cannot be listed: ", status.error_message()));
      return;
    }
    for (const v1::JournalRecord& record : response.records()) {
      v1::JournalEntry entry;
      if (!entry.ParseFromString(record.entry()) || entry.has_command()) {
        violations->Add(Concat(input.moment, ": journal record ", entry.sequence(),
                               " applied a command while only acknowledged commands were re-sent"));
      }
    }
    if (response.next_page_token().empty()) return;
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace

RestartCheckResult CheckAfterRestart(Stub& stub, const RestartCheckInput& input,
                                     Violations* violations) {
  RestartCheckResult result;
  result.fired_after_ms = WaitForOverdueDeadlines(stub, input, violations);
  // A few senders at once, as clients would: each re-send is still answered alone.
  std::vector<std::thread> senders;
  for (size_t sender = 0; sender < kResendThreads; ++sender) {
    senders.emplace_back([&, sender] {
      for (size_t i = sender; i < input.resend.size(); i += kResendThreads) {
        Resend(stub, *input.resend[i], input, violations);
      }
    });
  }
  for (std::thread& sender : senders) sender.join();
  result.resent = static_cast<int64_t>(input.resend.size());
  CheckSettled(stub, input, violations);
  result.settled_checked = static_cast<int64_t>(input.settled.size());
  // With no count (the journal did not verify, already a violation), nothing to compare.
  if (input.journal_records > 0) CheckNoCommandApplied(stub, input, violations);
  return result;
}

}  // namespace argentpoche::crash
