// Property test of conditional contracts over the engine core (in-memory store, manual
// clock, no gRPC). Each seed makes a random world (tests/support/conditional_world.h):
// random conditional contracts (value sources of 1 to 5 oracles with random quorum,
// aggregation, spread and window; branches with random condition trees paying by fixed
// tables or piecewise-linear lines; random refund tables; funding split across 2 or 3
// roles; USD and JPY), driven by signatures, funding, announcements, attestations (honest,
// liars, equivocators, stale, replays), endorsements, preimages, arbiter decisions, blind
// retries and clock jumps in random order. After every step: every currency sums to zero;
// every contract is in a legal state and never went back; every receipt pays out exactly
// what was locked (the refund table for a refund), nothing negative, nobody more than the
// lock; the hold accounts hold exactly the funded legs of the open contracts; no contract
// relying on a flagged oracle is funded, or settled by a branch after the flagging; a
// refused command changed nothing; a blind retry answers the first answer. At the end,
// past every deadline, every contract is final and the journal verifies.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "engine/audit.h"
#include "engine/command_signing.h"
#include "engine/engine.h"
#include "engine/envelope.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/memory_store.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "gtest/gtest.h"
#include "tests/support/conditional_watch.h"
#include "tests/support/conditional_world.h"

namespace argentpoche::testing {
namespace {

// 24 seeds of 400 steps: about 4 s of CPU with optimisation, 30 s under ASan.
constexpr uint64_t kSeeds[] = {1,    2,    3,    5,     8,     13,    21,    34,
                               55,   89,   144,  233,   377,   610,   987,   1597,
                               2584, 4181, 6765, 10946, 17711, 28657, 46368, 75025};
constexpr int kSteps = 400;
constexpr size_t kMaxContracts = 32;
constexpr size_t kRetryRing = 16;

class PropertyRun {
 public:
  explicit PropertyRun(uint64_t seed) : random_(seed), world_(random_) {}
  // Plays the seed; adds what happened to `counts`.
  void Play(WorldCounts& counts);

 private:
  // An applied command, for blind retries.
  struct Applied {
    v1::SignedCommand request;
    v1::Command::ActionCase action;
    std::string answer;
  };
  // A stored attestation, for replays and equivocations.
  struct Stored {
    int oracle;
    int event;
    int64_t value;
    v1::SignedEnvelope envelope;
  };

  absl::StatusOr<v1::CommandResult> Run(v1::Command command, const SigningKey& key);
  void Setup();
  void Step();
  void FireDue();
  void Create();
  void Advance();
  void AdvanceOne(TrackedContract& tracked);
  // A random contract, FUNDED four times in five when there is one.
  TrackedContract& PickMostlyFunded();
  void Announce();
  enum class Reading { kHonest, kLiar, kEquivocation, kStale };
  void Attest(Reading reading);
  void Replay();
  void Endorse();
  void Reveal();
  void Decide();
  void Retry();
  void Check();
  std::string JournalHead() const;
  int64_t Now() const { return clock_.NowUnixMs(); }
  void Fail(const std::string& what);
  template <typename T>
  T& Pick(std::vector<T>& items) {
    return items[world_.Uniform(0, static_cast<int64_t>(items.size()) - 1)];
  }

  std::mt19937_64 random_;
  ConditionalWorld world_;
  MemoryStore store_;
  ManualClock clock_{kWorldStartMs};
  // Test keys only.
  const SigningKey operator_key_ = *SigningKey::FromSeed(std::string(32, '\x01'));
  std::unique_ptr<Engine> engine_;
  WorldCounts counts_;
  std::unique_ptr<ContractWatch> watch_;
  std::vector<TrackedContract> contracts_;
  std::vector<Stored> stored_;
  std::set<std::pair<int, int>> attested_;  // (oracle, event)
  std::vector<Applied> applied_;
  std::set<int> flagged_;
  int requests_ = 0;
  int step_ = 0;
  bool failed_ = false;
};

void PropertyRun::Fail(const std::string& what) {
  if (failed_) return;
  failed_ = true;
  ADD_FAILURE() << "step " << step_ << ": " << what;
}

std::string PropertyRun::JournalHead() const {
  return store_.Get(Table::kMeta, keys::kJournalHead)->value_or("");
}

absl::StatusOr<v1::CommandResult> PropertyRun::Run(v1::Command command, const SigningKey& key) {
  command.set_request_id(Concat("r", ++requests_));
  const v1::Command::ActionCase action = command.action_case();
  v1::SignedCommand request = SignCommand(std::move(command), key, Now());
  const std::string head = JournalHead();
  absl::StatusOr<v1::CommandResult> result = engine_->Execute(request, action);
  if (result.ok()) {
    if (applied_.size() == kRetryRing) applied_.erase(applied_.begin());
    applied_.push_back({std::move(request), action, result->SerializeAsString()});
    return result;
  }
  ++counts_.refusals;
  ++counts_.refusals_by_reason[ReasonOf(result.status())];
  if (JournalHead() != head) Fail(Concat("refused but committed: ", result.status().ToString()));
  if (result.status().code() == absl::StatusCode::kInternal ||
      result.status().code() == absl::StatusCode::kDataLoss || ReasonOf(result.status()).empty()) {
    Fail(Concat("an unexpected refusal: ", result.status().ToString()));
  }
  return result;
}

void PropertyRun::FireDue() {
  for (int pass = 0; pass < 100; ++pass) {
    absl::StatusOr<size_t> fired = engine_->FireDueDeadlines();
    if (!fired.ok()) return Fail(Concat("firing deadlines: ", fired.status().ToString()));
    if (*fired == 0) return;
  }
  Fail("deadlines kept firing");
}

void PropertyRun::Setup() {
  EngineOptions options;
  options.operator_public_keys.push_back(operator_key_.public_key());
  options.scheduler_poll_ms = 0;
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Open(&store_, &clock_, *SigningKey::FromSeed(std::string(32, '\x02')), options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  engine_ = *std::move(engine);
  watch_ = std::make_unique<ContractWatch>(world_, engine_->Info().receipt_public_key(), counts_);
  for (int i = 0; i < world_.key_count(); ++i) {
    v1::Command command;
    command.mutable_register_party()->set_public_key(world_.key(i).public_key());
    command.mutable_register_party()->set_display_name(Concat("party ", i));
    ASSERT_TRUE(Run(command, world_.key(i)).ok());
  }
  for (int party = 0; party < kMoneyParties; ++party) {
    for (const char* currency : {"USD", "JPY"}) {
      v1::Command open;
      open.mutable_open_account()->set_currency(currency);
      ASSERT_TRUE(Run(open, world_.key(party)).ok());
      v1::Command credit;
      v1::CreditAccount* action = credit.mutable_credit_account();
      action->set_account_id(keys::PartyAccountId(world_.key(party).key_id(), currency));
      action->mutable_amount()->set_currency(currency);
      action->mutable_amount()->set_minor_units(1'000'000'000);
      ASSERT_TRUE(Run(credit, operator_key_).ok());
    }
  }
  for (int oracle = 0; oracle < kOracles; ++oracle) {
    v1::Command command;
    *command.mutable_register_oracle() = world_.Registration(oracle);
    ASSERT_TRUE(Run(command, operator_key_).ok());
  }
  applied_.clear();
}

void PropertyRun::Step() {
  // Weights: create 3, advance 16, announce 2, honest 6, liar 2, equivocation 1, stale 1,
  // replay 2, endorse 3, reveal 3, decide 2, retry 2, small jump 4, big jump 1.
  static constexpr int kWeights[] = {3, 16, 2, 6, 2, 1, 1, 2, 3, 3, 2, 2, 4, 1};
  int64_t roll = world_.Uniform(0, 47);
  int kind = 0;
  while (roll >= kWeights[kind]) roll -= kWeights[kind++];
  switch (kind) {
    case 0:
      return Create();
    case 1:
      return Advance();
    case 2:
      return Announce();
    case 3:
      return Attest(Reading::kHonest);
    case 4:
      return Attest(Reading::kLiar);
    case 5:
      return Attest(Reading::kEquivocation);
    case 6:
      return Attest(Reading::kStale);
    case 7:
      return Replay();
    case 8:
      return Endorse();
    case 9:
      return Reveal();
    case 10:
      return Decide();
    case 11:
      return Retry();
    case 12:
      clock_.Advance(world_.Uniform(60'000, 4 * kWorldHourMs));
      return FireDue();
    default:
      clock_.Advance(world_.Uniform(12 * kWorldHourMs, 2 * kWorldDayMs));
      return FireDue();
  }
}

void PropertyRun::Create() {
  if (contracts_.size() >= kMaxContracts) return Advance();
  TrackedContract tracked;
  const std::optional<v1::ConditionalTerms> terms =
      world_.RandomTerms(Now(), flagged_, tracked.key_of_role);
  if (!terms) return;
  v1::ContractTerms contract_terms;
  *contract_terms.mutable_conditional() = *terms;
  v1::Command command;
  command.mutable_create_contract()->set_terms(contract_terms.SerializeAsString());
  absl::StatusOr<v1::CommandResult> created =
      Run(command, world_.key(tracked.key_of_role.at("alpha")));
  if (!created.ok()) {
    return Fail(
        Concat("random terms refused: ", created.status().ToString(), "\n", terms->DebugString()));
  }
  tracked.id = created->contract().id();
  tracked.terms = *terms;
  tracked.last = created->contract();
  for (const v1::ValueSource& source : terms->value_sources()) {
    for (int oracle = 0; oracle < kOracles; ++oracle) {
      for (const std::string& id : source.oracle_party_ids()) {
        if (id == world_.oracle_key(oracle).key_id()) tracked.oracles.insert(oracle);
      }
    }
  }
  contracts_.push_back(std::move(tracked));
  ++counts_.contracts;
}

// The next signature or funding leg of a random contract not yet funded.
void PropertyRun::Advance() {
  std::vector<TrackedContract*> waiting;
  for (TrackedContract& tracked : contracts_) {
    const v1::ContractState state = tracked.last.state();
    if (state == v1::CONTRACT_STATE_PROPOSED || state == v1::CONTRACT_STATE_SIGNED) {
      waiting.push_back(&tracked);
    }
  }
  if (waiting.empty()) return;
  TrackedContract& tracked = *Pick(waiting);
  for (int64_t i = 0, actions = world_.Uniform(1, 3); i < actions; ++i) AdvanceOne(tracked);
}

void PropertyRun::AdvanceOne(TrackedContract& tracked) {
  std::map<std::string, int> key_of_party;
  for (const auto& [role, key] : tracked.key_of_role) key_of_party[world_.key(key).key_id()] = key;
  v1::Command command;
  if (tracked.last.state() == v1::CONTRACT_STATE_PROPOSED) {
    std::set<std::string> signed_by;
    for (const v1::ContractSignature& each : tracked.last.signatures()) {
      signed_by.insert(each.party_id());
    }
    for (const v1::ContractParty& party : tracked.last.parties()) {
      if (signed_by.contains(party.party_id())) continue;
      const SigningKey& key = world_.key(key_of_party.at(party.party_id()));
      command.mutable_sign_contract()->set_contract_id(tracked.id);
      command.mutable_sign_contract()->set_signature(
          SignContractTerms(tracked.last.terms_hash(), key));
      absl::StatusOr<v1::CommandResult> result = Run(command, key);
      if (result.ok()) tracked.last = result->contract();
      return;
    }
    return;
  }
  for (const v1::FundingLeg& leg : tracked.last.funding_legs()) {
    if (!leg.hold_id().empty()) continue;
    command.mutable_fund_contract()->set_contract_id(tracked.id);
    absl::StatusOr<v1::CommandResult> result =
        Run(command, world_.key(key_of_party.at(leg.party_id())));
    if (result.ok()) tracked.last = result->contract();
    return;
  }
}

void PropertyRun::Announce() {
  const int event = static_cast<int>(world_.Uniform(0, kEvents - 1));
  int oracle = static_cast<int>(world_.Uniform(0, kOracles - 1));
  if (!world_.MayAttest(oracle, event)) oracle = 0;
  WorldEvent& announced = world_.events()[event];
  const bool conflicting = announced.announced && world_.Uniform(0, 4) == 0;
  v1::Command command;
  v1::AnnounceEvent* action = command.mutable_announce_event();
  action->set_feed(announced.feed);
  action->set_event_id(announced.event_id);
  action->set_expected_at_unix_ms(announced.from_unix_ms);
  action->set_observe_from_unix_ms(announced.from_unix_ms);
  action->set_observe_until_unix_ms(announced.until_unix_ms + (conflicting ? kWorldHourMs : 0));
  absl::StatusOr<v1::CommandResult> result = Run(command, world_.oracle_key(oracle));
  if (conflicting && result.ok()) Fail("a conflicting announcement was accepted");
  if (!conflicting && result.ok()) announced.announced = true;
}

void PropertyRun::Attest(Reading reading) {
  std::vector<std::pair<int, int>> candidates;  // (oracle, event)
  for (int event = 0; event < kEvents; ++event) {
    const WorldEvent& facts = world_.events()[event];
    // Mostly events already under way: an observation cannot come from the future.
    if (!facts.announced || (facts.from_unix_ms > Now() && world_.Uniform(0, 9) != 0)) continue;
    for (int oracle = 0; oracle < kOracles; ++oracle) {
      if (!world_.MayAttest(oracle, event)) continue;
      // Mostly readings not given yet (the replay step repeats them).
      const bool given = attested_.contains({oracle, event});
      if ((reading != Reading::kLiar || world_.lies(oracle, event)) &&
          (!given || world_.Uniform(0, 4) == 0)) {
        candidates.emplace_back(oracle, event);
      }
    }
  }
  if (candidates.empty()) return Announce();
  auto [oracle, event] = Pick(candidates);
  int64_t value = world_.reading(oracle, event);
  if (reading == Reading::kEquivocation) {
    // Rarely: each equivocation flags an oracle for good.
    if (stored_.empty() || world_.Uniform(0, 4) != 0) return;
    const Stored& earlier = Pick(stored_);
    oracle = earlier.oracle;
    event = earlier.event;
    value = earlier.value + world_.Uniform(1, 50);
  }
  const WorldEvent& chosen = world_.events()[event];
  const int64_t earliest = std::max(chosen.from_unix_ms, Now() - 3 * kWorldDayMs);
  const int64_t latest = std::min(chosen.until_unix_ms - 1, Now());
  int64_t observed = earliest <= latest ? world_.Uniform(earliest, latest) : chosen.from_unix_ms;
  if (reading == Reading::kStale) observed = chosen.from_unix_ms;
  v1::Command command;
  *command.mutable_submit_attestation()->mutable_attestation() =
      world_.Seal(oracle, event, value, observed, static_cast<int>(world_.Uniform(0, 2)));
  absl::StatusOr<v1::CommandResult> result = Run(command, world_.oracle_key(oracle));
  if (!result.ok()) return;
  ++counts_.attestations;
  stored_.push_back({oracle, event, value, command.submit_attestation().attestation()});
  attested_.insert({oracle, event});
  if (result->attestation_receipt().has_equivocation()) ++counts_.equivocations;
}

// The same signed attestation again, or the same number at another scale.
void PropertyRun::Replay() {
  if (stored_.empty()) return;
  const Stored& earlier = Pick(stored_);
  v1::Command command;
  if (world_.Uniform(0, 1) == 0) {
    *command.mutable_submit_attestation()->mutable_attestation() = earlier.envelope;
  } else {
    v1::Attestation body;
    const std::string_view tag_and_body = earlier.envelope.body();
    EXPECT_TRUE(
        body.ParseFromString(std::string(tag_and_body.substr(tag_and_body.find('\n') + 1))));
    *command.mutable_submit_attestation()->mutable_attestation() =
        world_.Seal(earlier.oracle, earlier.event, earlier.value, body.observed_at_unix_ms(),
                    static_cast<int>(world_.Uniform(0, 2)));
  }
  absl::StatusOr<v1::CommandResult> result = Run(command, world_.oracle_key(earlier.oracle));
  const std::string reason = ReasonOf(result.status());
  if (result.ok() || (reason != "ATTESTATION_REPLAYED" && reason != "ORACLE_FLAGGED")) {
    Fail(Concat("a replayed attestation answered ", result.status().ToString()));
  }
}

TrackedContract& PropertyRun::PickMostlyFunded() {
  std::vector<TrackedContract*> funded;
  for (TrackedContract& tracked : contracts_) {
    if (tracked.last.state() == v1::CONTRACT_STATE_FUNDED) funded.push_back(&tracked);
  }
  return !funded.empty() && world_.Uniform(0, 4) != 0 ? *Pick(funded) : Pick(contracts_);
}

void PropertyRun::Endorse() {
  if (contracts_.empty()) return;
  const TrackedContract& tracked = PickMostlyFunded();
  auto role = tracked.key_of_role.begin();
  std::advance(role, world_.Uniform(0, static_cast<int64_t>(tracked.key_of_role.size()) - 1));
  v1::Command command;
  command.mutable_endorse_contract()->set_contract_id(tracked.id);
  (void)Run(command, world_.key(role->second));
}

void PropertyRun::Reveal() {
  if (contracts_.empty()) return;
  const TrackedContract& tracked = PickMostlyFunded();
  v1::Command command;
  command.mutable_reveal_preimage()->set_contract_id(tracked.id);
  command.mutable_reveal_preimage()->set_preimage(ConditionalWorld::Secret(static_cast<int>(
      world_.Uniform(0, 3) == 0 ? kSecrets - 1 : world_.Uniform(0, kSecrets - 2))));
  (void)Run(command, world_.key(static_cast<int>(world_.Uniform(0, kMoneyParties - 1))));
}

// The arbiter (or, now and then, another party) splits a contract, mostly a disputed one.
void PropertyRun::Decide() {
  std::vector<TrackedContract*> disputed;
  for (TrackedContract& tracked : contracts_) {
    if (tracked.last.state() == v1::CONTRACT_STATE_DISPUTED) disputed.push_back(&tracked);
  }
  if (contracts_.empty()) return;
  const TrackedContract& tracked =
      !disputed.empty() && world_.Uniform(0, 4) != 0 ? *Pick(disputed) : Pick(contracts_);
  std::vector<std::string> payees;
  for (const auto& [role, key] : tracked.key_of_role) {
    if (role != "arbiter") payees.push_back(world_.key(key).key_id());
  }
  const std::string& currency = tracked.terms.locked_total().currency();
  int64_t left = tracked.terms.locked_total().minor_units();
  v1::Command command;
  command.mutable_decide_contract()->set_contract_id(tracked.id);
  for (size_t i = 0; i < payees.size(); ++i) {
    v1::Payout* payout = command.mutable_decide_contract()->add_payouts();
    payout->set_party_id(payees[i]);
    payout->mutable_amount()->set_currency(currency);
    const int64_t amount = i + 1 == payees.size() ? left : world_.Uniform(0, left);
    payout->mutable_amount()->set_minor_units(amount);
    left -= amount;
  }
  const auto arbiter = tracked.key_of_role.find("arbiter");
  const int decider = arbiter != tracked.key_of_role.end() && world_.Uniform(0, 5) != 0
                          ? arbiter->second
                          : tracked.key_of_role.at("beta");
  (void)Run(command, world_.key(decider));
}

void PropertyRun::Retry() {
  if (applied_.empty()) return;
  const Applied& applied = Pick(applied_);
  const std::string head = JournalHead();
  absl::StatusOr<v1::CommandResult> again = engine_->Execute(applied.request, applied.action);
  ++counts_.retries;
  if (!again.ok()) return Fail(Concat("a blind retry was refused: ", again.status().ToString()));
  if (again->SerializeAsString() != applied.answer) Fail("a blind retry answered differently");
  if (JournalHead() != head) Fail("a blind retry committed something");
}

void PropertyRun::Check() {
  const std::set<int> flagged_before = flagged_;
  for (int oracle = 0; oracle < kOracles; ++oracle) {
    absl::StatusOr<v1::Oracle> found = engine_->GetOracle(world_.oracle_key(oracle).key_id());
    if (!found.ok()) return Fail(found.status().ToString());
    if (found->flagged()) flagged_.insert(oracle);
    if (flagged_before.contains(oracle) && !found->flagged()) Fail("an oracle was unflagged");
  }
  absl::Status conserved = CheckConservation(store_);
  if (!conserved.ok()) return Fail(conserved.ToString());
  for (TrackedContract& tracked : contracts_) {
    absl::StatusOr<v1::Contract> contract = engine_->GetContract(tracked.id);
    if (!contract.ok()) return Fail(contract.status().ToString());
    absl::Status kept = watch_->Observe(tracked, *contract, flagged_before, flagged_);
    if (!kept.ok()) return Fail(std::string(kept.message()));
  }
  absl::Status accounts = watch_->CheckAccounts(store_, contracts_);
  if (!accounts.ok()) return Fail(std::string(accounts.message()));
  if (step_ % 50 == 0) {
    absl::StatusOr<uint64_t> records = VerifyJournal(store_);
    if (!records.ok()) Fail(records.status().ToString());
  }
}

void PropertyRun::Play(WorldCounts& counts) {
  Setup();
  if (::testing::Test::HasFatalFailure()) return;
  for (step_ = 1; step_ <= kSteps && !failed_; ++step_) {
    Step();
    Check();
  }
  // Past every deadline, everything ends.
  int64_t last = Now();
  for (const TrackedContract& tracked : contracts_) {
    last = std::max(last, tracked.terms.hard_deadline_unix_ms());
  }
  clock_.Set(last + 1);
  FireDue();
  Check();
  for (const TrackedContract& tracked : contracts_) {
    if (!IsFinal(tracked.last.state())) {
      Fail(Concat("contract ", tracked.id, " is still ", ContractState_Name(tracked.last.state()),
                  " past its hard deadline"));
    }
  }
  absl::StatusOr<uint64_t> records = VerifyJournal(store_);
  EXPECT_TRUE(records.ok()) << records.status();
  counts_.journal_records = records.value_or(0);
  counts.Add(counts_);
}

TEST(ConditionalPropertyTest, MoneyIsConservedAndEveryContractEndsWhateverTheOraclesDo) {
  WorldCounts total;
  for (const uint64_t seed : kSeeds) {
    WorldCounts counts;
    PropertyRun(seed).Play(counts);
    std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed), counts.Summary().c_str());
    total.Add(counts);
    if (HasFailure()) break;
  }
  std::printf("all seeds: %s\n", total.Summary().c_str());
  // The run must have reached every ending, or it proved little.
  EXPECT_GT(total.settled_by_branch, 0);
  EXPECT_GT(total.arbitrated, 0);
  EXPECT_GT(total.refunded, 0);
  EXPECT_GT(total.expired, 0);
  EXPECT_GT(total.disputed, 0);
  EXPECT_GT(total.equivocations, 0);
}

}  // namespace
}  // namespace argentpoche::testing
