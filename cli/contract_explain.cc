#include "cli/contract_explain.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/conditions.h"
#include "engine/limits.h"
#include "engine/money.h"
#include "engine/payout_rules.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

using explain_internal::AmountText;
using explain_internal::RefundText;
using explain_internal::RoleText;
using explain_internal::ValueText;

// Attestations listed per source at most; the rest are counted.
constexpr size_t kMaxAttestationLines = 32;

bool Names(const v1::ValueSource& source, const std::string& oracle) {
  return std::find(source.oracle_party_ids().begin(), source.oracle_party_ids().end(), oracle) !=
         source.oracle_party_ids().end();
}

// Why an attestation does not count for `source` ("" when it counts), as the engine decides:
// one value per named oracle, observed inside the source's window.
std::string WhyNotCounted(const v1::ValueSource& source, const v1::Attestation& attestation,
                          const std::map<std::string, int>& values_per_oracle) {
  if (!Names(source, attestation.oracle_party_id())) return "not one of the named oracles";
  if (values_per_oracle.at(attestation.oracle_party_id()) > 1) return "signed two values";
  if (attestation.observed_at_unix_ms() < source.observe_from_unix_ms() ||
      attestation.observed_at_unix_ms() >= source.observe_until_unix_ms()) {
    return "observed outside the window";
  }
  return "";
}

std::map<std::string, int> ValuesPerOracle(const std::vector<v1::StoredAttestation>& stored) {
  std::map<std::string, int> count;
  for (const v1::StoredAttestation& each : stored) ++count[each.attestation().oracle_party_id()];
  return count;
}

const std::vector<v1::StoredAttestation>& AttestationsOf(const ConditionalSnapshot& snapshot,
                                                         const std::string& source) {
  static const std::vector<v1::StoredAttestation> kNone;
  auto found = snapshot.attestations.find(source);
  return found == snapshot.attestations.end() ? kNone : found->second;
}

std::string AttestedValue(const v1::Attestation& attestation) {
  if (attestation.scale() > limits::kMaxValueScale) return Concat(attestation.value());
  return FormatAmount(attestation.value(), static_cast<int>(attestation.scale()));
}

void AddSource(const ConditionalSnapshot& snapshot, const v1::ValueSource& source,
               const PartyNamer& name_of, std::vector<std::string>& lines) {
  lines.push_back(Concat("  ", source.name(), ": ", source.feed(), ", event ", source.event_id()));
  std::string oracles;
  for (const std::string& oracle : source.oracle_party_ids()) {
    oracles += Concat(oracles.empty() ? "" : ", ", name_of(oracle));
  }
  std::string rule = "they must all agree exactly";
  if (source.aggregation() == v1::AGGREGATION_MEDIAN) {
    rule = Concat("the lower median of their values counts, if they are at most ",
                  ValueText(source, source.max_spread()), " apart");
  }
  lines.push_back(Concat("    attested by ", source.quorum(), " of ",
                         source.oracle_party_ids_size(), " oracles (", oracles, "); ", rule));
  lines.push_back(Concat("    observations count from ",
                         DescribeTime(source.observe_from_unix_ms()), " until ",
                         DescribeTime(source.observe_until_unix_ms())));
  for (const v1::SourceValue& fixed : snapshot.contract.conditional().values()) {
    if (fixed.source() != source.name()) continue;
    std::string from;
    for (int i = 0; i < fixed.oracle_party_ids_size() && i < fixed.values_size(); ++i) {
      from += Concat(from.empty() ? "" : ", ", name_of(fixed.oracle_party_ids(i)), " ",
                     ValueText(source, fixed.values(i)));
    }
    lines.push_back(Concat("    fixed at ", ValueText(source, fixed.value()), " on ",
                           DescribeTime(fixed.fixed_at_unix_ms()), " (", from, ")"));
  }
  if (snapshot.unannounced_sources.contains(source.name())) {
    lines.push_back("    no oracle has announced the event yet");
    return;
  }
  const std::vector<v1::StoredAttestation>& stored = AttestationsOf(snapshot, source.name());
  const std::map<std::string, int> per_oracle = ValuesPerOracle(stored);
  const Facts facts = RebuildFacts(snapshot);
  const auto counted = facts.attestations_received.find(source.name());
  lines.push_back(Concat("    arrived: ", stored.size(),
                         stored.size() == 1 ? " attestation, " : " attestations, ",
                         counted == facts.attestations_received.end() ? 0 : counted->second,
                         " counting, of the ", source.quorum(), " needed"));
  for (size_t i = 0; i < stored.size() && i < kMaxAttestationLines; ++i) {
    const v1::Attestation& attestation = stored[i].attestation();
    const std::string why = WhyNotCounted(source, attestation, per_oracle);
    lines.push_back(Concat("      ", name_of(attestation.oracle_party_id()), ": ",
                           AttestedValue(attestation), ", observed ",
                           DescribeTime(attestation.observed_at_unix_ms()),
                           why.empty() ? " (counts)" : Concat(" (does not count: ", why, ")")));
  }
  if (stored.size() > kMaxAttestationLines) {
    lines.push_back(Concat("      and ", stored.size() - kMaxAttestationLines, " more"));
  }
}

// "with index at 100.0 mm: the insured (...) receives 5000.00 USD, the insurer (...) 5400.00 USD"
std::string PayoutNow(const v1::PiecewiseLinearPayout& rule, const v1::ConditionalTerms& terms,
                      const Facts& facts, const PartyNamer& name_of) {
  const auto value = facts.oracle_values.find(rule.value_source());
  const v1::ValueSource* source = explain_internal::SourceNamed(terms, rule.value_source());
  if (value == facts.oracle_values.end() || source == nullptr) return "";
  const absl::StatusOr<int64_t> paid = PiecewiseLinearMinorUnits(rule, value->second);
  if (!paid.ok()) return "";
  const std::string& currency = terms.locked_total().currency();
  return Concat("with ", source->name(), " at ", ValueText(*source, value->second), ": ",
                RoleText(terms, rule.payee_role(), name_of), " receives ",
                AmountText(currency, *paid), ", ", RoleText(terms, rule.remainder_role(), name_of),
                " ", AmountText(currency, terms.locked_total().minor_units() - *paid));
}

void AddOutcomes(const ConditionalSnapshot& snapshot, const PartyNamer& name_of,
                 std::vector<std::string>& lines) {
  const v1::ConditionalTerms& terms = snapshot.terms;
  const Facts facts = RebuildFacts(snapshot);
  lines.push_back(Concat("Outcomes: the first that holds before the hard deadline, ",
                         DescribeTime(terms.hard_deadline_unix_ms()), ", settles:"));
  for (int i = 0; i < terms.branches_size(); ++i) {
    const v1::ConditionalBranch& branch = terms.branches(i);
    lines.push_back(Concat("  ", i + 1, ". ",
                           branch.description().empty() ? "this condition" : branch.description(),
                           ":"));
    for (const std::string& line : Explain(branch.condition(), terms.value_sources(), facts)) {
      lines.push_back(Concat("       ", line));
    }
    lines.push_back(Concat("     pays: ", DescribePayoutRule(branch.payout(), terms, name_of)));
    if (branch.payout().has_piecewise_linear()) {
      const std::string now = PayoutNow(branch.payout().piecewise_linear(), terms, facts, name_of);
      if (!now.empty()) lines.push_back(Concat("     ", now));
    }
  }
  lines.push_back(Concat("  At the hard deadline, if nothing has settled, the refund: ",
                         RefundText(terms, name_of), "."));
  std::string decides = "no arbiter is named, so only the refund at the hard deadline ends it.";
  for (const v1::RoleParty& party : terms.parties()) {
    if (party.role() != "arbiter") continue;
    decides = Concat(RoleText(terms, "arbiter", name_of), " decides how the ",
                     FormatMoney(terms.locked_total()),
                     " is split, or else the refund applies at the hard deadline.");
  }
  lines.push_back(
      Concat("  In a dispute (the oracles of a source further apart than allowed, or one of them "
             "signing two values): ",
             decides));
}

void AddLegs(const ConditionalSnapshot& snapshot, const PartyNamer& name_of,
             std::vector<std::string>& lines) {
  const v1::ConditionalTerms& terms = snapshot.terms;
  lines.push_back(Concat("Locks ", FormatMoney(terms.locked_total()), ", every leg by ",
                         DescribeTime(terms.fund_by_unix_ms()), " or every lock goes back:"));
  for (const v1::FixedAmount& leg : terms.funding()) {
    std::string state = "not locked yet";
    for (const v1::RoleParty& party : terms.parties()) {
      if (party.role() != leg.role()) continue;
      for (const v1::FundingLeg& funded : snapshot.contract.funding_legs()) {
        if (funded.party_id() == party.party_id() && !funded.hold_id().empty()) {
          state = Concat("locked ", DescribeTime(funded.funded_at_unix_ms()));
        }
      }
    }
    lines.push_back(Concat("  ", RoleText(terms, leg.role(), name_of), " locks ",
                           FormatMoney(leg.amount()), " (", state, ")"));
  }
}

}  // namespace

Facts RebuildFacts(const ConditionalSnapshot& snapshot) {
  const v1::ConditionalState& state = snapshot.contract.conditional();
  Facts facts;
  facts.now_unix_ms = snapshot.now_unix_ms;
  facts.signed_roles.insert(state.endorsed_roles().begin(), state.endorsed_roles().end());
  facts.revealed_preimages.insert(state.revealed_preimages().begin(),
                                  state.revealed_preimages().end());
  for (const v1::SourceValue& fixed : state.values()) {
    facts.oracle_values[fixed.source()] = fixed.value();
    facts.attestations_received[fixed.source()] = fixed.oracle_party_ids_size();
  }
  for (const v1::ValueSource& source : snapshot.terms.value_sources()) {
    if (facts.oracle_values.contains(source.name())) continue;
    const std::vector<v1::StoredAttestation>& stored = AttestationsOf(snapshot, source.name());
    const std::map<std::string, int> per_oracle = ValuesPerOracle(stored);
    std::set<std::string> counting;
    for (const v1::StoredAttestation& each : stored) {
      if (WhyNotCounted(source, each.attestation(), per_oracle).empty()) {
        counting.insert(each.attestation().oracle_party_id());
      }
    }
    facts.attestations_received[source.name()] = static_cast<int>(counting.size());
  }
  return facts;
}

std::string ConditionalStateInWords(const v1::Contract& contract,
                                    const v1::ConditionalTerms& terms) {
  const v1::ConditionalState& state = contract.conditional();
  switch (contract.state()) {
    case v1::CONTRACT_STATE_PROPOSED:
      return Concat("waiting for signatures (", contract.signatures_size(), " of ",
                    contract.parties_size(), " signed)");
    case v1::CONTRACT_STATE_SIGNED:
      return Concat("signed by everyone, waiting for every leg to be locked by ",
                    DescribeTime(terms.fund_by_unix_ms()));
    case v1::CONTRACT_STATE_FUNDED:
      return state.next_decision_unix_ms() > 0
                 ? Concat(
                       "funded: it settles by itself once an outcome below holds (next "
                       "decision ",
                       DescribeTime(state.next_decision_unix_ms()), ")")
                 : "funded: it settles by itself once an outcome below holds";
    case v1::CONTRACT_STATE_SETTLED:
      if (state.settled_branch() > 0 && state.settled_branch() <= terms.branches_size()) {
        const v1::ConditionalBranch& branch = terms.branches(state.settled_branch() - 1);
        return Concat("settled by outcome ", state.settled_branch(),
                      branch.description().empty() ? "" : Concat(" (", branch.description(), ")"));
      }
      return "settled by the arbiter's decision";
    case v1::CONTRACT_STATE_REFUNDED:
      return "refunded: nothing settled before the hard deadline, every lock went back";
    case v1::CONTRACT_STATE_DISPUTED:
      return Concat("in dispute: ", contract.dispute().reason());
    case v1::CONTRACT_STATE_EXPIRED:
      return "expired: not every leg was locked in time, every lock went back";
    default:
      return "in an unknown state";
  }
}

std::vector<std::string> ExplainConditional(const ConditionalSnapshot& snapshot,
                                            const PartyNamer& name_of) {
  const v1::ConditionalTerms& terms = snapshot.terms;
  std::vector<std::string> lines;
  lines.push_back(Concat("State: ", ConditionalStateInWords(snapshot.contract, terms)));
  if (!terms.description().empty()) lines.push_back(Concat("Terms: ", terms.description()));
  std::string parties;
  for (const v1::RoleParty& party : terms.parties()) {
    parties += Concat(parties.empty() ? "" : ", ", RoleText(terms, party.role(), name_of));
  }
  lines.push_back(Concat("Parties: ", parties));
  AddLegs(snapshot, name_of, lines);
  if (!terms.value_sources().empty()) lines.push_back("Value sources:");
  for (const v1::ValueSource& source : terms.value_sources()) {
    AddSource(snapshot, source, name_of, lines);
  }
  AddOutcomes(snapshot, name_of, lines);
  return lines;
}

}  // namespace argentpoche::cli
