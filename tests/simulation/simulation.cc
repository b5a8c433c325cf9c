#include "tests/simulation/simulation.h"

#include <cstdlib>
#include <utility>

#include "engine/check.h"
#include "engine/command_signing.h"
#include "engine/command_verifier.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::simulation {
namespace {

// The engine's idempotency fingerprint: the command without its signing time.
std::string Fingerprint(const v1::Command& command) {
  v1::Command copy = command;
  copy.clear_issued_at_unix_ms();
  return copy.SerializeAsString();
}

std::string DescribeAnswer(const absl::StatusOr<v1::CommandResult>& answer) {
  if (answer.ok()) return "OK";
  return Concat(absl::StatusCodeToString(answer.status().code()), " ", ReasonOf(answer.status()),
                " (", answer.status().message(), ")");
}

bool IsCommitFailure(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable && ReasonOf(status) == "COMMIT_FAILED";
}

}  // namespace

std::string Expectation::Describe() const {
  switch (kind) {
    case Kind::kApplied:
      return "applied";
    case Kind::kRefused:
      return Concat("refused (", absl::StatusCodeToString(code), " ", reason, ")");
    case Kind::kReplayed:
      return "the first answer again";
  }
  return "?";
}

absl::Status Violation(const std::string& message) { return absl::InternalError(message); }

Simulation::Simulation(uint64_t seed, int parties, bool count_credits_twice)
    : random_(seed), harness_(parties) {
  model_.operator_id = harness_.operator_key().key_id();
  model_.receipt_public_key = harness_.receipt_public_key();
  model_.currencies = {"EUR", "JPY"};
  model_.count_credits_twice = count_credits_twice;
  for (int i = 0; i < parties; ++i) {
    const SigningKey& key = harness_.party_keys()[i];
    ModelParty& party = model_.parties[key.key_id()];
    party.id = key.key_id();
    party.display_name = Concat("party ", i);
    party.key = &key;
  }
  domains_.push_back(MakeLedgerDomain());
  domains_.push_back(MakeHoldDomain());
  domains_.push_back(MakeDepositDomain());
  domains_.push_back(MakeConditionalDomain());
}

absl::Status Simulation::Start() {
  if (absl::Status opened = harness_.Open(); !opened.ok()) {
    return Violation(Concat("the engine did not open: ", opened.message()));
  }
  model_.journal_records = 1;  // the operator's enrollment
  return absl::OkStatus();
}

uint64_t Simulation::Below(uint64_t bound) {
  POCHE_CHECK(bound > 0);
  return random_() % bound;
}

int64_t Simulation::Between(int64_t low, int64_t high) {
  POCHE_CHECK(low <= high);
  return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low) + 1));
}

const SigningKey& Simulation::KeyOf(const std::string& party_id) const {
  if (party_id == model_.operator_id) return harness_.operator_key();
  if (party_id == harness_.stranger_key().key_id()) return harness_.stranger_key();
  return *model_.parties.at(party_id).key;
}

std::vector<std::string> Simulation::RegisteredParties() const {
  std::vector<std::string> ids;
  for (const auto& [id, party] : model_.parties) {
    if (party.registered) ids.push_back(id);
  }
  return ids;
}

std::vector<std::string> Simulation::Accounts(
    const std::function<bool(const std::string&, const ModelAccount&)>& keep) const {
  std::vector<std::string> ids;
  for (const auto& [id, account] : model_.accounts) {
    if (keep(id, account)) ids.push_back(id);
  }
  return ids;
}

absl::Status Simulation::Submit(v1::Command command, const SigningKey& key,
                                std::string_view meant) {
  command.set_request_id(Concat("r", step_, ".", ++requests_sent_));
  return Send(SignCommand(std::move(command), key, now()), meant);
}

v1::SignedCommand Simulation::SignAgain(const v1::SignedCommand& request) const {
  const CommandView view = ViewOf(request);
  return SignCommand(view.command, KeyOf(view.signer_id), harness_.clock().NowUnixMs());
}

CommandView Simulation::ViewOf(const v1::SignedCommand& request) const {
  CommandView view;
  const std::string& body = request.envelope().body();
  const size_t prefix = domain::kCommand.size() + 1;
  POCHE_CHECK(body.size() >= prefix && view.command.ParseFromString(body.substr(prefix)));
  view.signer_id = request.envelope().key_id();
  return view;
}

const Domain& Simulation::DomainOf(const v1::Command& command) const {
  for (const std::unique_ptr<Domain>& domain : domains_) {
    if (domain->Claims(model_, command)) return *domain;
  }
  for (const std::unique_ptr<Domain>& domain : domains_) {
    if (domain->Handles(command.action_case())) return *domain;
  }
  POCHE_CHECK(false);
  return *domains_.front();
}

Expectation Simulation::Predict(const CommandView& view) {
  const v1::Command& command = view.command;
  if (command.action_case() != v1::Command::kRegisterParty &&
      !IsRegistered(model_, view.signer_id)) {
    return Expectation::Refused(absl::StatusCode::kUnauthenticated, "UNKNOWN_SIGNER");
  }
  const auto found = model_.requests.find(keys::Request(view.signer_id, command.request_id()));
  if (found != model_.requests.end()) {
    if (found->second.fingerprint != Fingerprint(command)) {
      return Expectation::Refused(absl::StatusCode::kAlreadyExists, "REQUEST_ID_REUSED");
    }
    Expectation replay;
    replay.kind = Expectation::Kind::kReplayed;
    replay.first_result = found->second.result;
    return replay;
  }
  if (std::llabs(command.issued_at_unix_ms() - now()) > limits::kDefaultMaxCommandSkewMs) {
    return Expectation::Refused(absl::StatusCode::kFailedPrecondition, "STALE_COMMAND");
  }
  return DomainOf(command).Predict(model_, view, now());
}

absl::Status Simulation::Send(const v1::SignedCommand& request, std::string_view meant) {
  const CommandView view = ViewOf(request);
  const Expectation expected = Predict(view);
  if (!meant.empty() &&
      (expected.kind != Expectation::Kind::kRefused || expected.reason != meant)) {
    return Violation(Concat("simulator bug: ", MethodOf(view.command.action_case()),
                            " was meant to be refused as ", meant, " but the model expects it ",
                            expected.Describe()));
  }
  const bool faulted = fault_armed_;
  if (faulted) {
    harness_.faults().FailNextWrites(1, StorageFault::kFailedWrite,
                                     absl::UnavailableError("injected storage fault"));
    fault_armed_ = false;
  }
  const absl::StatusOr<v1::CommandResult> answer =
      harness_.engine().Execute(request, view.command.action_case());
  if (faulted) harness_.faults().ClearFaults();
  ++counters_.commands;
  Note(Concat(MethodOf(view.command.action_case()), " ", view.command.request_id(), " by ",
              view.signer_id.substr(0, 6), faulted ? " under a storage fault" : "", ": expected ",
              expected.Describe(), ", got ", DescribeAnswer(answer)));
  return CheckAnswer(request, view, expected, faulted, answer);
}

absl::Status Simulation::CheckAnswer(const v1::SignedCommand& request, const CommandView& view,
                                     const Expectation& expected, bool faulted,
                                     const absl::StatusOr<v1::CommandResult>& answer) {
  const std::string method = MethodOf(view.command.action_case());
  if (faulted && expected.kind == Expectation::Kind::kApplied) {
    if (answer.ok() || !IsCommitFailure(answer.status())) {
      return Violation(Concat(method, " under an injected storage fault was answered ",
                              DescribeAnswer(answer), ", not UNAVAILABLE COMMIT_FAILED"));
    }
    ++counters_.commit_failed;
    failed_.push_back(request);
    return absl::OkStatus();
  }
  switch (expected.kind) {
    case Expectation::Kind::kRefused:
      if (answer.ok() || answer.status().code() != expected.code ||
          ReasonOf(answer.status()) != expected.reason) {
        return Violation(Concat(method, " was answered ", DescribeAnswer(answer),
                                " but the model expects it ", expected.Describe()));
      }
      ++counters_.refused;
      return absl::OkStatus();
    case Expectation::Kind::kReplayed:
      if (!answer.ok() || answer->SerializeAsString() != expected.first_result) {
        return Violation(Concat("a retry of acknowledged ", method, " was answered ",
                                DescribeAnswer(answer), " with another result than the first"));
      }
      ++counters_.replayed;
      return absl::OkStatus();
    case Expectation::Kind::kApplied:
      break;
  }
  if (!answer.ok()) {
    return Violation(Concat(method, " was answered ", DescribeAnswer(answer),
                            " but the model expects it applied"));
  }
  POCHE_RETURN_IF_ERROR(DomainOf(view.command).Apply(model_, view, *answer, now()));
  ++model_.journal_records;
  AcknowledgedRequest& acknowledged =
      model_.requests[keys::Request(view.signer_id, view.command.request_id())];
  acknowledged.fingerprint = Fingerprint(view.command);
  acknowledged.result = answer->SerializeAsString();
  acknowledged_.push_back(request);
  ++counters_.applied;
  return absl::OkStatus();
}

uint64_t Simulation::FireDueInModel(Model& model, int64_t now) const {
  uint64_t due = 0;
  for (const std::unique_ptr<Domain>& domain : domains_) due += domain->FireDue(model, now);
  return due;
}

absl::Status Simulation::AdvanceClock(int64_t delta_ms) {
  POCHE_CHECK(delta_ms >= 0);
  harness_.clock().Advance(delta_ms);
  Note(Concat("the clock moves ", delta_ms / 1000, " s ahead"));
  if (fault_armed_) {
    fault_armed_ = false;
    POCHE_RETURN_IF_ERROR(FireDeadlines(/*faulted=*/true));
  }
  return FireDeadlines(/*faulted=*/false);
}

absl::Status Simulation::FireDeadlines(bool faulted) {
  if (faulted) {
    Model preview = model_;
    const uint64_t due = FireDueInModel(preview, now());
    harness_.faults().FailNextWrites(1 << 20, StorageFault::kFailedWrite,
                                     absl::UnavailableError("injected storage fault"));
    const absl::StatusOr<size_t> fired = harness_.engine().FireDueDeadlines();
    harness_.faults().ClearFaults();
    Note(Concat(due, " deadlines due under a storage fault"));
    if (due == 0 ? !fired.ok() || *fired != 0 : fired.ok() || !IsCommitFailure(fired.status())) {
      return Violation(Concat("firing ", due,
                              " due deadlines under an injected storage fault gave ",
                              fired.ok() ? Concat(*fired, " fired") : fired.status().ToString()));
    }
    if (due > 0) ++counters_.commit_failed;
    return CheckInvariants(/*full=*/false, /*verify_journal=*/false);  // nothing changed
  }
  uint64_t fired_total = 0;
  for (;;) {
    const absl::StatusOr<size_t> fired = harness_.engine().FireDueDeadlines();
    if (!fired.ok())
      return Violation(Concat("firing deadlines failed: ", fired.status().ToString()));
    if (*fired == 0) break;
    fired_total += *fired;
  }
  const uint64_t expected = FireDueInModel(model_, now());
  if (fired_total != expected) {
    return Violation(
        Concat("the engine fired ", fired_total, " deadlines, the model expects ", expected));
  }
  if (expected > 0) Note(Concat(expected, " deadlines fired"));
  model_.journal_records += expected;
  counters_.deadlines += expected;
  return absl::OkStatus();
}

absl::Status Simulation::Restart() {
  const absl::StatusOr<v1::JournalHead> before = harness_.JournalHead();
  harness_.Close();
  if (absl::Status opened = harness_.Open(); !opened.ok()) {
    return Violation(Concat("the engine did not reopen over its store: ", opened.message()));
  }
  const absl::StatusOr<v1::JournalHead> after = harness_.JournalHead();
  if (!before.ok() || !after.ok() || before->SerializeAsString() != after->SerializeAsString()) {
    return Violation("the journal head changed across a restart");
  }
  ++counters_.restarts;
  Note("the engine restarted");
  return CheckInvariants(/*full=*/true, /*verify_journal=*/false);
}

void Simulation::DisarmFault() {
  fault_armed_ = false;
  harness_.faults().ClearFaults();
}

std::string Simulation::JournalHeadHash() {
  const absl::StatusOr<v1::JournalHead> head = harness_.JournalHead();
  return head.ok() ? Hex(head->hash()) : "";
}

void Simulation::Note(const std::string& words) {
  if (!notes_.empty()) notes_ += "; ";
  notes_ += words;
}

std::string Simulation::TakeNotes() { return std::exchange(notes_, ""); }

}  // namespace argentpoche::simulation
