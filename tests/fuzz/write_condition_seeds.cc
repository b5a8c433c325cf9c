// poche-fuzz-condition-seeds DIR: writes the seed corpus of condition_terms_fuzz.cc into
// DIR/condition_terms/, one small file per seed (see tests/fuzz/README.md).
//
// A program of its own: the condition seeds need none of the ledger's messages.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "argentpoche/v1/condition.pb.h"
#include "engine/crypto.h"
#include "tests/fuzz/fuzz_checks.h"

namespace argentpoche::fuzz {
namespace {

v1::Money Euros(int64_t minor_units) {
  v1::Money money;
  money.set_currency("EUR");
  money.set_minor_units(minor_units);
  return money;
}

v1::Condition SignatureOf(std::string_view role) {
  v1::Condition condition;
  condition.set_signature_of_role(std::string(role));
  return condition;
}

void AddFixed(v1::FixedTable* table, std::string_view role, int64_t minor_units) {
  v1::FixedAmount* amount = table->add_amounts();
  amount->set_role(std::string(role));
  *amount->mutable_amount() = Euros(minor_units);
}

// Conditional terms between `roles` (party "party-<role>" each), locking 1000.00 EUR,
// refunded in full to the first role at start + 30 days.
v1::ConditionalTerms TermsFor(std::initializer_list<std::string_view> roles) {
  v1::ConditionalTerms terms;
  *terms.mutable_locked_total() = Euros(100'000);
  for (std::string_view role : roles) {
    v1::RoleParty* party = terms.add_parties();
    party->set_role(std::string(role));
    party->set_party_id("party-" + std::string(role));
  }
  terms.set_hard_deadline_unix_ms(kStartUnixMs + 30 * kDayMs);
  AddFixed(terms.mutable_refund(), *roles.begin(), 100'000);
  terms.set_description("a test contract");
  return terms;
}

// The facts byte, the oracle value (8 bytes, little-endian), then the terms.
std::string Input(uint8_t facts, int64_t oracle_value, const v1::ConditionalTerms& terms) {
  std::string bytes(1, static_cast<char>(facts));
  for (int index = 0; index < 8; ++index) {
    bytes.push_back(static_cast<char>(static_cast<uint64_t>(oracle_value) >> (8 * index)));
  }
  return bytes + terms.SerializeAsString();
}

void Write(const std::filesystem::path& directory, std::string_view name,
           const std::string& bytes) {
  std::ofstream file(directory / name, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  Check(file.good(), "writing a seed");
}

void WriteSeeds(const std::filesystem::path& directory) {
  // The buyer's signature, then a date: the seller is paid.
  v1::ConditionalTerms sale = TermsFor({"buyer", "seller"});
  v1::ConditionalBranch* branch = sale.add_branches();
  v1::ConditionList* all_of = branch->mutable_condition()->mutable_all_of();
  *all_of->add_conditions() = SignatureOf("buyer");
  all_of->add_conditions()->set_after_unix_ms(kStartUnixMs + kDayMs);
  AddFixed(branch->mutable_payout()->mutable_fixed_table(), "seller", 100'000);
  branch->set_description("delivered");
  Write(directory, "signed-then-after", Input(0x01, 0, sale));
  Write(directory, "never-signed", Input(0x00, 0, sale));

  // Rain insurance: 2 of 3 weather oracles, paid along a line from 50.0 mm.
  v1::ConditionalTerms rain = TermsFor({"insurer", "insured"});
  v1::ValueSource* source = rain.add_value_sources();
  source->set_name("rain");
  source->set_feed("weather/ghcn/USW00094728/PRCP");
  source->set_event_id("2026-12");
  for (std::string_view oracle : {"oracle-1", "oracle-2", "oracle-3"}) {
    source->add_oracle_party_ids(std::string(oracle));
  }
  source->set_quorum(2);
  source->set_aggregation(v1::AGGREGATION_MEDIAN);
  source->set_max_spread(50);
  source->set_scale(1);
  source->set_observe_from_unix_ms(kStartUnixMs);
  source->set_observe_until_unix_ms(kStartUnixMs + 20 * kDayMs);
  source->set_oracle_kind("weather");
  branch = rain.add_branches();
  v1::OracleComparison* comparison = branch->mutable_condition()->mutable_oracle_comparison();
  comparison->set_value_source("rain");
  comparison->set_comparison(v1::COMPARISON_GE);
  comparison->set_constant(500);
  v1::PiecewiseLinearPayout* line = branch->mutable_payout()->mutable_piecewise_linear();
  line->set_value_source("rain");
  for (const auto& [x, y] : {std::pair<int64_t, int64_t>{500, 0}, {1'500, 100'000}}) {
    v1::Breakpoint* breakpoint = line->add_breakpoints();
    breakpoint->set_x(x);
    breakpoint->set_y(y);
  }
  *line->mutable_floor() = Euros(0);
  *line->mutable_cap() = Euros(100'000);
  line->set_payee_role("insured");
  line->set_remainder_role("insurer");
  Write(directory, "rain-above-the-trigger", Input(0x40, 873, rain));
  Write(directory, "rain-awaited", Input(0x00, 0, rain));

  // 2 of 3 (two signatures and a revealed secret), or before a date: a split.
  v1::ConditionalTerms escrow = TermsFor({"payer", "payee", "agent"});
  branch = escrow.add_branches();
  v1::ConditionList* any_of = branch->mutable_condition()->mutable_any_of();
  v1::Threshold* threshold = any_of->add_conditions()->mutable_threshold();
  for (int child = 0; child < 3; ++child) {
    v1::WeightedCondition* weighted = threshold->add_children();
    weighted->set_weight(1);
    if (child == 0) *weighted->mutable_condition() = SignatureOf("payer");
    if (child == 1) *weighted->mutable_condition() = SignatureOf("agent");
    if (child == 2) {
      weighted->mutable_condition()->mutable_sha256_preimage()->set_sha256(
          Sha256(kConditionPreimage));
    }
  }
  threshold->set_threshold(2);
  any_of->add_conditions()->set_before_unix_ms(kStartUnixMs + 10 * kDayMs);
  v1::FixedTable* table = branch->mutable_payout()->mutable_fixed_table();
  AddFixed(table, "payee", 90'000);
  table->set_remainder_role("agent");
  Write(directory, "threshold-with-preimage", Input(0x84, 0, escrow));
}

}  // namespace
}  // namespace argentpoche::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: %s DIR\nwrites the condition_terms seeds into DIR/condition_terms/\n",
                 argv[0]);
    return 2;
  }
  const std::filesystem::path directory = std::filesystem::path(argv[1]) / "condition_terms";
  std::filesystem::create_directories(directory);
  argentpoche::fuzz::WriteSeeds(directory);
  std::printf("wrote the condition_terms seeds into %s\n", directory.c_str());
  return 0;
}
