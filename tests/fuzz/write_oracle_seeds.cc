// poche-fuzz-oracle-seeds DIR: writes the seeds of the attestation target into
// DIR/attestation/, and the signed_command scripts of the oracle and conditional commands
// into DIR/signed_command/ (script-oracle-*, raw-oracle-*), one small file per seed. Run
// once by hand when the seeds need to change, then commit tests/fuzz/corpus/ (see
// tests/fuzz/README.md). TEST-ONLY keys (attestation_world.h, fuzz_engine.h).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "engine/command_signing.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/fuzz/attestation_world.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

void Write(const std::filesystem::path& root, std::string_view target, std::string_view name,
           std::string_view bytes, int& written) {
  const std::filesystem::path directory = root / target;
  std::filesystem::create_directories(directory);
  std::ofstream file(directory / name, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  Check(file.good(), Concat("writing seed ", name));
  ++written;
}

std::string Steps(std::initializer_list<std::string> steps, char mode = -1) {
  std::string bytes = mode < 0 ? "" : std::string(1, mode);
  bool first = true;
  for (const std::string& step : steps) {
    if (!first) bytes += kScriptStepSeparator;
    bytes += step;
    first = false;
  }
  return bytes;
}

// An attestation step sealed by the target: `caller`, the key it names (choice 5).
std::string Sealed(Caller caller, const v1::Attestation& attestation, int key_choice = 5) {
  const auto header = static_cast<char>(static_cast<int>(caller) | (key_choice << 4));
  return std::string(1, header) + attestation.SerializeAsString();
}

std::string Raw(Caller caller, const v1::SignedEnvelope& envelope) {
  return std::string(1, static_cast<char>(static_cast<int>(caller) | 0x08)) +
         envelope.SerializeAsString();
}

void WriteAttestationSeeds(const std::filesystem::path& root, int& written) {
  const auto seed = [&](std::string_view name, const std::string& bytes) {
    Write(root, "attestation", name, bytes, written);
  };
  seed("b-settles-the-cover", Sealed(Caller::kOracleB, AttestationOf(1, 125)));
  v1::Attestation finer = AttestationOf(2, 1250);
  finer.set_scale(2);
  seed("c-settles-at-a-finer-scale", Sealed(Caller::kOracleC, finer));
  seed("b-lies-beyond-the-spread", Sealed(Caller::kOracleB, AttestationOf(1, 300)));
  seed("a-equivocates", Sealed(Caller::kOracleA, AttestationOf(0, 130)));
  seed("a-replays", Sealed(Caller::kOracleA, AttestationOf(0, 120)));
  v1::Attestation old_key = AttestationOf(2, 121);
  old_key.set_oracle_key_id(AttestationKey(3).key_id());
  seed("c-with-its-rotated-out-key", Sealed(Caller::kOracleC, old_key));
  v1::Attestation unknown = AttestationOf(1, 121);
  unknown.set_event_id("2026-01-01..2026-01-01");
  seed("unknown-event", Sealed(Caller::kOracleB, unknown));
  v1::Attestation early = AttestationOf(1, 121);
  early.set_observed_at_unix_ms(kObservedAt - 1);
  seed("outside-the-window", Sealed(Caller::kOracleB, early));
  v1::Attestation future = AttestationOf(1, 121);
  future.set_observed_at_unix_ms(kObservedAt + 2 * kDayMs);
  seed("observed-in-the-future", Sealed(Caller::kOracleB, future));
  seed("the-insurer-is-no-oracle", Sealed(Caller::kInsurer, AttestationOf(1, 121)));
  seed("raw-envelope", Raw(Caller::kOracleB, SealEnvelope(domain::kAttestation,
                                                          AttestationOf(1, 122).SerializeAsString(),
                                                          CurrentKeyOf(1))));
  v1::SignedEnvelope forged = SealEnvelope(
      domain::kAttestation, AttestationOf(1, 122).SerializeAsString(), AttestationKey(4));
  forged.set_key_id(CurrentKeyOf(1).key_id());
  seed("raw-forged-signature", Raw(Caller::kOracleB, forged));
  seed("b-then-c-after-the-settlement", Steps({Sealed(Caller::kOracleB, AttestationOf(1, 125)),
                                               Sealed(Caller::kOracleC, AttestationOf(2, 126))}));
  seed("c-lies-then-b-equivocates", Steps({Sealed(Caller::kOracleC, AttestationOf(2, 900)),
                                           Sealed(Caller::kOracleB, AttestationOf(1, 121)),
                                           Sealed(Caller::kOracleB, AttestationOf(1, 122))}));
}

// signed_command scripts (mode 1): steps are an actor byte and a Command.
std::string Step(Actor actor, const v1::Command& command) {
  return std::string(1, static_cast<char>(actor)) + command.SerializeAsString();
}

v1::Command Named(std::string_view request_id) {
  v1::Command command;
  command.set_request_id(std::string(request_id));
  return command;
}

// A flood cover: the tenant insures the landlord (no premium), the arbiter is its oracle.
v1::ContractTerms CoverTerms() {
  v1::ContractTerms terms;
  v1::WeatherCoverTerms& cover = *terms.mutable_weather_cover();
  cover.set_insurer_party_id(PartyIdOf(Actor::kTenant));
  cover.set_insured_party_id(PartyIdOf(Actor::kLandlord));
  cover.set_source("fuzz");
  cover.set_station("CP");
  cover.set_index(v1::WEATHER_INDEX_RAINFALL);
  cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
  cover.set_scale(1);
  cover.set_period_start("2026-11-25");
  cover.set_period_end("2026-11-25");
  cover.set_direction(v1::COVER_DIRECTION_EXCESS);
  cover.set_trigger(100);
  cover.set_exit(300);
  cover.mutable_limit()->set_currency("EUR");
  cover.mutable_limit()->set_minor_units(20'000);
  cover.mutable_premium()->set_currency("EUR");
  cover.mutable_premium()->set_minor_units(0);
  cover.mutable_oracles()->add_oracle_party_ids(PartyIdOf(Actor::kArbiter));
  cover.mutable_oracles()->set_quorum(1);
  cover.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
  cover.set_grace_period_ms(3 * kDayMs);
  cover.set_fund_by_unix_ms(kStartUnixMs + 12 * kHourMs);
  return terms;
}

// Terms between the tenant (buyer) and the landlord (seller): both endorse, or a secret.
v1::ContractTerms EscrowTerms() {
  v1::ContractTerms terms;
  v1::ConditionalTerms& escrow = *terms.mutable_conditional();
  for (const auto& [role, actor] :
       {std::pair{"buyer", Actor::kTenant}, std::pair{"seller", Actor::kLandlord}}) {
    v1::RoleParty* party = escrow.add_parties();
    party->set_role(role);
    party->set_party_id(PartyIdOf(actor));
  }
  escrow.mutable_locked_total()->set_currency("EUR");
  escrow.mutable_locked_total()->set_minor_units(30'000);
  v1::FixedAmount* leg = escrow.add_funding();
  leg->set_role("buyer");
  *leg->mutable_amount() = escrow.locked_total();
  *escrow.mutable_refund()->add_amounts() = *leg;
  v1::ConditionalBranch& both = *escrow.add_branches();
  both.mutable_condition()->mutable_all_of()->add_conditions()->set_signature_of_role("buyer");
  both.mutable_condition()->mutable_all_of()->add_conditions()->set_signature_of_role("seller");
  both.mutable_payout()->mutable_fixed_table()->set_remainder_role("seller");
  v1::ConditionalBranch& secret = *escrow.add_branches();
  secret.mutable_condition()->mutable_sha256_preimage()->set_sha256(Sha256("open sesame"));
  secret.mutable_payout()->mutable_fixed_table()->set_remainder_role("buyer");
  escrow.set_hard_deadline_unix_ms(kStartUnixMs + 10 * kDayMs);
  escrow.set_fund_by_unix_ms(kStartUnixMs + kDayMs);
  return terms;
}

void WriteSignedCommandSeeds(const std::filesystem::path& root, int& written) {
  const auto seed = [&](std::string_view name, const std::string& bytes) {
    Write(root, "signed_command", name, bytes, written);
  };
  constexpr char kScriptMode = 1;
  v1::Command oracle = Named("oracle");
  oracle.mutable_register_oracle()->add_feeds("weather/fuzz/*");
  oracle.mutable_register_oracle()->set_valid_until_unix_ms(kStartUnixMs + 30 * kDayMs);
  v1::Command create = Named("create");
  create.mutable_create_contract()->set_terms(CoverTerms().SerializeAsString());
  v1::Command sign = Named("sign");
  sign.mutable_sign_contract();
  v1::Command fund = Named("fund");
  fund.mutable_fund_contract();
  v1::Command announce = Named("announce");
  v1::AnnounceEvent* event = announce.mutable_announce_event();
  event->set_feed("weather/fuzz/CP/rain_mm");
  event->set_event_id("2026-11-25..2026-11-25");
  event->set_observe_from_unix_ms(kStartUnixMs + kDayMs);
  event->set_observe_until_unix_ms(kStartUnixMs + 4 * kDayMs);
  v1::Attestation attestation;
  attestation.set_feed(event->feed());
  attestation.set_event_id(event->event_id());
  attestation.set_value(200);
  attestation.set_scale(1);
  attestation.set_observed_at_unix_ms(kStartUnixMs + kDayMs);
  v1::Command attest = Named("attest");
  attest.mutable_submit_attestation()->mutable_attestation()->set_body(
      attestation.SerializeAsString());
  const std::string clock_step(1, static_cast<char>(0xE0 + 17));  // 36 hours
  seed("script-oracle-cover-settled",
       Steps({Step(Actor::kOperator, oracle), Step(Actor::kTenant, create),
              Step(Actor::kTenant, sign), Step(Actor::kLandlord, sign), Step(Actor::kTenant, fund),
              clock_step, Step(Actor::kArbiter, announce), Step(Actor::kArbiter, attest)},
             kScriptMode));
  seed("script-oracle-cover-refunded",
       Steps({Step(Actor::kOperator, oracle), Step(Actor::kTenant, create),
              Step(Actor::kTenant, sign), Step(Actor::kLandlord, sign), Step(Actor::kTenant, fund),
              std::string(1, static_cast<char>(0xE0 + 19))},
             kScriptMode));
  v1::Command escrow = Named("escrow");
  escrow.mutable_create_contract()->set_terms(EscrowTerms().SerializeAsString());
  v1::Command endorse = Named("endorse");
  endorse.mutable_endorse_contract();
  seed("script-oracle-escrow-endorsed",
       Steps({Step(Actor::kTenant, escrow), Step(Actor::kTenant, sign),
              Step(Actor::kLandlord, sign), Step(Actor::kTenant, fund),
              Step(Actor::kTenant, endorse), Step(Actor::kLandlord, endorse)},
             kScriptMode));
  v1::Command reveal = Named("reveal");
  reveal.mutable_reveal_preimage()->set_preimage("open sesame");
  seed("script-oracle-escrow-secret",
       Steps({Step(Actor::kLandlord, escrow), Step(Actor::kTenant, sign),
              Step(Actor::kLandlord, sign), Step(Actor::kTenant, fund),
              Step(Actor::kArbiter, reveal)},
             kScriptMode));
  v1::Command rotate = Named("rotate");
  rotate.mutable_rotate_oracle_key()->set_public_key(KeyOf(Actor::kStranger).public_key());
  rotate.mutable_rotate_oracle_key()->set_valid_until_unix_ms(kStartUnixMs + 30 * kDayMs);
  v1::Command revoke = Named("revoke");
  revoke.mutable_revoke_oracle()->set_party_id(PartyIdOf(Actor::kArbiter));
  revoke.mutable_revoke_oracle()->set_key_id(KeyOf(Actor::kStranger).key_id());
  seed("script-oracle-rotate-and-revoke",
       Steps({Step(Actor::kOperator, oracle), Step(Actor::kArbiter, rotate),
              Step(Actor::kOperator, revoke), Step(Actor::kArbiter, announce)},
             kScriptMode));
  v1::Command register_oracle = oracle;
  register_oracle.mutable_register_oracle()->set_party_id(PartyIdOf(Actor::kArbiter));
  register_oracle.mutable_register_oracle()->set_public_key(KeyOf(Actor::kArbiter).public_key());
  std::string raw = {0, static_cast<char>(v1::Command::kRegisterOracle)};
  raw += SignCommand(register_oracle, KeyOf(Actor::kOperator), kStartUnixMs).SerializeAsString();
  seed("raw-oracle-register", raw);
}

}  // namespace
}  // namespace argentpoche::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\nwrites the attestation and oracle script seeds\n",
                 argv[0]);
    return 2;
  }
  int written = 0;
  argentpoche::fuzz::WriteAttestationSeeds(argv[1], written);
  argentpoche::fuzz::WriteSignedCommandSeeds(argv[1], written);
  std::printf("wrote %d seeds into %s\n", written, argv[1]);
  return 0;
}
