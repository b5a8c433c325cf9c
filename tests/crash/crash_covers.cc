// CrashClient's conditional contracts (crash_client.h): its three oracles, registered by
// the operator; weather covers written in the condition language (the template's periods
// are whole UTC days, too long for a run of seconds) and options from their template, each
// observed a few seconds ahead; signed, funded, the event announced, then settled by the
// attestation completing a 2-of-3 quorum, or left to the refund at the hard deadline.
#include <chrono>
#include <string>
#include <vector>

#include "argentpoche/v1/oracle.pb.h"
#include "engine/command_signing.h"
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/crash/crash_client.h"

namespace argentpoche::crash {
namespace {

constexpr int kFirstOracle = 3;
constexpr int kOracles = 3;
constexpr size_t kMaxOpenCovers = 2;

v1::Money Euros(int64_t minor_units) {
  v1::Money money;
  money.set_currency("EUR");
  money.set_minor_units(minor_units);
  return money;
}

v1::FixedAmount Leg(const std::string& role, int64_t minor_units) {
  v1::FixedAmount leg;
  leg.set_role(role);
  *leg.mutable_amount() = Euros(minor_units);
  return leg;
}

// A flood cover in the condition language: the insured gets the share of the limit the
// rainfall reaches between 50.0 and 150.0 mm, rounded down; 2 of the 3 oracles within 2.0 mm.
v1::ConditionalTerms CoverTerms(const std::string& insurer, const std::string& insured,
                                const std::vector<std::string>& oracles, int64_t limit,
                                int64_t premium, const std::string& feed,
                                const std::string& event_id, int64_t observe_at,
                                int64_t hard_deadline) {
  v1::ConditionalTerms terms;
  for (const auto& [role, party] : {std::pair{"insurer", insurer}, std::pair{"insured", insured}}) {
    v1::RoleParty* added = terms.add_parties();
    added->set_role(role);
    added->set_party_id(party);
  }
  *terms.mutable_locked_total() = Euros(limit + premium);
  *terms.add_funding() = Leg("insurer", limit);
  *terms.mutable_refund()->add_amounts() = Leg("insurer", limit);
  if (premium > 0) {
    *terms.add_funding() = Leg("insured", premium);
    *terms.mutable_refund()->add_amounts() = Leg("insured", premium);
  }
  v1::ValueSource& source = *terms.add_value_sources();
  source.set_name("index");
  source.set_feed(feed);
  source.set_event_id(event_id);
  for (const std::string& oracle : oracles) source.add_oracle_party_ids(oracle);
  source.set_quorum(2);
  source.set_aggregation(v1::AGGREGATION_MEDIAN);
  source.set_max_spread(20);
  source.set_scale(1);
  source.set_observe_from_unix_ms(observe_at);
  source.set_observe_until_unix_ms(hard_deadline - 1);
  v1::ConditionalBranch& branch = *terms.add_branches();
  branch.mutable_condition()->set_after_unix_ms(observe_at);
  v1::PiecewiseLinearPayout& line = *branch.mutable_payout()->mutable_piecewise_linear();
  line.set_value_source("index");
  v1::Breakpoint* trigger = line.add_breakpoints();
  trigger->set_x(500);
  v1::Breakpoint* exit = line.add_breakpoints();
  exit->set_x(1500);
  exit->set_y(limit);
  *line.mutable_floor() = Euros(0);
  *line.mutable_cap() = Euros(limit);
  line.set_payee_role("insured");
  line.set_remainder_role("insurer");
  terms.set_hard_deadline_unix_ms(hard_deadline);
  terms.set_fund_by_unix_ms(observe_at - 300);
  terms.set_description("crash test flood cover");
  return terms;
}

}  // namespace

bool CrashClient::EnrollOracles() {
  for (int oracle = kFirstOracle; oracle < kFirstOracle + kOracles; ++oracle) {
    const SigningKey& key = *parties_[static_cast<size_t>(oracle)];
    v1::Command command;
    command.mutable_register_party()->set_public_key(key.public_key());
    command.mutable_register_party()->set_display_name(Concat("crash client ", index_, " oracle"));
    Answer answer = Execute(v1::Command::kRegisterParty, key, command);
    if (answer.fate == Fate::kAcknowledged) {
      v1::Command registration;
      v1::RegisterOracle* action = registration.mutable_register_oracle();
      action->set_party_id(key.key_id());
      action->add_feeds("weather/crash/*");
      action->add_feeds("price/*");
      action->set_public_key(key.public_key());
      action->set_valid_until_unix_ms(WallNowMs() + int64_t{7} * 24 * 3600 * 1000);
      answer = Execute(v1::Command::kRegisterOracle, *shared_.operator_key, registration);
    }
    if (answer.fate == Fate::kRefused) {
      shared_.violations->Add(Concat("client ", index_, " could not enroll oracle ", oracle));
    }
    if (answer.fate != Fate::kAcknowledged) return false;
  }
  return true;
}

void CrashClient::AdvanceCover() {
  if (covers_.size() < kMaxOpenCovers && (covers_.empty() || Uniform(0, 2) == 0)) {
    return CreateCover();
  }
  const size_t chosen = static_cast<size_t>(Uniform(0, static_cast<int64_t>(covers_.size()) - 1));
  if (!StepCover(covers_[chosen])) {
    covers_.erase(covers_.begin() + static_cast<std::ptrdiff_t>(chosen));
  }
}

void CrashClient::CreateCover() {
  Cover cover;
  cover.insurer = static_cast<int>(Uniform(0, 2));
  cover.insured = (cover.insurer + static_cast<int>(Uniform(1, 2))) % 3;
  cover.left_to_refund = Uniform(0, 3) == 0;
  const int64_t limit = Uniform(1'000, 20'000);
  const int64_t premium = Uniform(0, 1) == 0 ? 0 : Uniform(1, limit / 10);
  cover.has_premium = premium > 0;
  std::vector<std::string> oracles;
  for (int oracle = kFirstOracle; oracle < kFirstOracle + kOracles; ++oracle) {
    oracles.push_back(parties_[static_cast<size_t>(oracle)]->key_id());
  }
  // A few seconds of real time: some pass while the engine is down.
  cover.observe_at_ms = WallNowMs() + Uniform(1500, 3000);
  cover.hard_deadline_ms = cover.observe_at_ms + Uniform(3000, 5000);
  v1::ContractTerms terms;
  const std::string& insurer = parties_[static_cast<size_t>(cover.insurer)]->key_id();
  const std::string& insured = parties_[static_cast<size_t>(cover.insured)]->key_id();
  if (Uniform(0, 2) == 0) {  // an option: the buyer's payout follows the price at expiry
    v1::OptionTerms& option = *terms.mutable_option();
    option.set_kind(Uniform(0, 1) == 0 ? v1::OPTION_KIND_CALL : v1::OPTION_KIND_PUT);
    option.set_writer_party_id(insurer);
    option.set_buyer_party_id(insured);
    cover.feed = Concat("price/BTC", index_, "-EUR");
    option.set_feed(cover.feed);
    option.set_price_scale(2);
    option.set_strike(4'200'000);
    option.set_quantity(50);
    option.set_quantity_scale(2);
    *option.mutable_collateral() = Euros(limit);
    *option.mutable_premium() = Euros(premium);
    option.set_expiry_unix_ms(cover.observe_at_ms);
    for (const std::string& oracle : oracles)
      option.mutable_oracles()->add_oracle_party_ids(oracle);
    option.mutable_oracles()->set_quorum(2);
    option.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
    option.mutable_oracles()->set_max_spread(500);
    option.set_grace_period_ms(cover.hard_deadline_ms - cover.observe_at_ms);
    option.set_fund_by_unix_ms(cover.observe_at_ms - 300);
    cover.event_id = Concat("at:", cover.observe_at_ms);
  } else {
    cover.feed = Concat("weather/crash/c", index_, "/rain_mm");
    cover.event_id = Concat("day-", next_request_ + 1);
    *terms.mutable_conditional() =
        CoverTerms(insurer, insured, oracles, limit, premium, cover.feed, cover.event_id,
                   cover.observe_at_ms, cover.hard_deadline_ms);
  }
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  const Answer answer =
      Execute(v1::Command::kCreateContract, *parties_[static_cast<size_t>(cover.insured)], command);
  v1::Contract contract;
  if (answer.fate != Fate::kAcknowledged || !contract.ParseFromString(answer.response)) return;
  cover.id = contract.id();
  cover.terms_hash = contract.terms_hash();
  covers_.push_back(std::move(cover));
}

bool CrashClient::StepCover(Cover& cover) {
  const int64_t now = WallNowMs();
  if (cover.step >= 5) {  // funded and announced: attest, or wait for the refund
    if (cover.left_to_refund || cover.step >= 7) {
      if (now < cover.hard_deadline_ms + 500 && cover.step < 7) return true;
      const v1::ContractState state = Observe(cover.id);
      if (state == v1::CONTRACT_STATE_REFUNDED) ++shared_.counters->covers_refunded;
      return state == v1::CONTRACT_STATE_UNSPECIFIED || state == v1::CONTRACT_STATE_FUNDED ||
             state == v1::CONTRACT_STATE_DISPUTED;
    }
    if (now < cover.observe_at_ms) return true;
    const SigningKey& oracle = *parties_[static_cast<size_t>(kFirstOracle + cover.step - 5)];
    v1::Attestation attestation;
    attestation.set_feed(cover.feed);
    attestation.set_event_id(cover.event_id);
    const bool price = cover.feed.starts_with("price/");
    attestation.set_value((price ? 4'300'000 : 1000) + cover.step);
    attestation.set_scale(price ? 2 : 1);
    attestation.set_observed_at_unix_ms(cover.observe_at_ms);
    attestation.set_oracle_party_id(oracle.key_id());
    attestation.set_oracle_key_id(oracle.key_id());
    v1::Command command;
    *command.mutable_submit_attestation()->mutable_attestation() =
        SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), oracle);
    const Answer answer = Execute(v1::Command::kSubmitAttestation, oracle, command);
    v1::AttestationReceipt receipt;
    if (answer.fate != Fate::kAcknowledged || !receipt.ParseFromString(answer.response)) {
      return false;
    }
    ++cover.step;
    for (const std::string& affected : receipt.affected_contract_ids()) {
      if (affected == cover.id && Observe(cover.id) == v1::CONTRACT_STATE_SETTLED) {
        ++shared_.counters->covers_settled;
      }
    }
    return true;
  }
  v1::Command command;
  v1::Command::ActionCase action = v1::Command::ACTION_NOT_SET;
  const SigningKey* signer = nullptr;
  if (cover.step < 2) {  // the insurer, then the insured, sign
    signer = parties_[static_cast<size_t>(cover.step == 0 ? cover.insurer : cover.insured)].get();
    action = v1::Command::kSignContract;
    command.mutable_sign_contract()->set_contract_id(cover.id);
    command.mutable_sign_contract()->set_signature(SignContractTerms(cover.terms_hash, *signer));
  } else if (cover.step < 4) {  // the insurer locks the limit, the insured the premium
    if (cover.step == 3 && !cover.has_premium) {
      ++cover.step;
      return StepCover(cover);
    }
    signer = parties_[static_cast<size_t>(cover.step == 2 ? cover.insurer : cover.insured)].get();
    action = v1::Command::kFundContract;
    command.mutable_fund_contract()->set_contract_id(cover.id);
  } else {  // the first oracle announces the event
    signer = parties_[kFirstOracle].get();
    action = v1::Command::kAnnounceEvent;
    v1::AnnounceEvent* announce = command.mutable_announce_event();
    announce->set_feed(cover.feed);
    announce->set_event_id(cover.event_id);
    announce->set_expected_at_unix_ms(cover.observe_at_ms);
    announce->set_observe_from_unix_ms(cover.observe_at_ms);
    announce->set_observe_until_unix_ms(cover.hard_deadline_ms - 1);
  }
  const Answer answer = Execute(action, *signer, command);
  if (answer.fate != Fate::kAcknowledged) return false;
  if (action == v1::Command::kFundContract) {
    v1::Contract contract;
    if (contract.ParseFromString(answer.response) &&
        contract.state() == v1::CONTRACT_STATE_FUNDED) {
      ++shared_.counters->covers_funded;
    }
  }
  ++cover.step;
  return true;
}

v1::ContractState CrashClient::Observe(const std::string& contract_id) {
  CallPermit permit = shared_.link->Acquire();
  if (!permit.valid()) return v1::CONTRACT_STATE_UNSPECIFIED;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(shared_.call_timeout_ms));
  v1::GetContractRequest request;
  request.set_contract_id(contract_id);
  v1::Contract contract;
  if (!permit.stub().GetContract(&context, request, &contract).ok()) {
    return v1::CONTRACT_STATE_UNSPECIFIED;
  }
  if (contract.has_receipt() &&
      !shared_.settled->Record(contract_id, contract.receipt().SerializeAsString())) {
    shared_.violations->Add(
        Concat("contract ", contract_id, " was seen ended with one receipt, then with another"));
  }
  return contract.state();
}

}  // namespace argentpoche::crash
