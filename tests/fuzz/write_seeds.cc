// poche-fuzz-seeds DIR: writes the seed corpus of every fuzz target but condition_terms
// (write_condition_seeds.cc) into DIR/<target>/, one small file per seed. Run once by hand when the
// seeds need to change, then commit tests/fuzz/corpus/ (see tests/fuzz/README.md). The seeds are
// signed with the fuzz cast's TEST-ONLY keys (tests/fuzz/fuzz_engine.h) at kStartUnixMs, so they
// are valid against the fuzz engine's base state.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "engine/command_signing.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/strings.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

// The first byte of a signed_command input: its mode.
constexpr char kRawMode = 0;
constexpr char kScriptMode = 1;
// A seed: its mode byte, then `rest`.
std::string WithMode(char mode, std::string_view rest) {
  return std::string(1, mode) + std::string(rest);
}

// A script header that moves the clock 2^exponent seconds.
char ClockStep(int exponent) { return static_cast<char>(0xE0 + exponent); }

class SeedWriter {
 public:
  explicit SeedWriter(std::filesystem::path root) : root_(std::move(root)) {}

  void Write(std::string_view target, std::string_view name, std::string_view bytes) {
    const std::filesystem::path directory = root_ / target;
    std::filesystem::create_directories(directory);
    std::ofstream file(directory / name, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    Check(file.good(), Concat("writing seed ", name));
    ++written_;
  }
  int written() const { return written_; }

 private:
  const std::filesystem::path root_;
  int written_ = 0;
};

std::string AccountOf(Actor actor, std::string_view currency) {
  return keys::PartyAccountId(PartyIdOf(actor), currency);
}

v1::Money Amount(std::string_view currency, int64_t minor_units) {
  v1::Money money;
  money.set_currency(std::string(currency));
  money.set_minor_units(minor_units);
  return money;
}

v1::Command Named(std::string_view request_id) {
  v1::Command command;
  command.set_request_id(std::string(request_id));
  return command;
}

v1::Command Credit(std::string_view request_id, Actor to, int64_t minor_units) {
  v1::Command command = Named(request_id);
  command.mutable_credit_account()->set_account_id(AccountOf(to, "EUR"));
  *command.mutable_credit_account()->mutable_amount() = Amount("EUR", minor_units);
  command.mutable_credit_account()->set_reference("wire 1");
  return command;
}

v1::Command Debit(std::string_view request_id, Actor from, int64_t minor_units) {
  v1::Command command = Named(request_id);
  command.mutable_debit_account()->set_account_id(AccountOf(from, "EUR"));
  *command.mutable_debit_account()->mutable_amount() = Amount("EUR", minor_units);
  return command;
}

v1::Command CreateHold(std::string_view request_id, int64_t minor_units, int64_t lasts_ms) {
  v1::Command command = Named(request_id);
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(AccountOf(Actor::kTenant, "EUR"));
  action->set_beneficiary_account_id(AccountOf(Actor::kLandlord, "EUR"));
  *action->mutable_amount() = Amount("EUR", minor_units);
  action->set_expires_at_unix_ms(kStartUnixMs + lasts_ms);
  return command;
}

// A split of the base deposit (500.00 EUR) giving `to_landlord` to the landlord.
void AddSplit(google::protobuf::RepeatedPtrField<v1::Payout>* payouts, int64_t to_landlord) {
  v1::Payout* landlord = payouts->Add();
  landlord->set_party_id(PartyIdOf(Actor::kLandlord));
  *landlord->mutable_amount() = Amount("EUR", to_landlord);
  v1::Payout* tenant = payouts->Add();
  tenant->set_party_id(PartyIdOf(Actor::kTenant));
  *tenant->mutable_amount() = Amount("EUR", 50'000 - to_landlord);
}

v1::Command Propose(std::string_view request_id, const std::string& contract_id,
                    int64_t to_landlord) {
  v1::Command command = Named(request_id);
  command.mutable_propose_split()->set_contract_id(contract_id);
  AddSplit(command.mutable_propose_split()->mutable_payouts(), to_landlord);
  return command;
}

// A raw signed_command input: sent to `method` as signed by `signer`.
std::string Raw(const v1::Command& command, Actor signer) {
  std::string bytes = {kRawMode, static_cast<char>(command.action_case())};
  bytes += SignCommand(command, KeyOf(signer), kStartUnixMs).SerializeAsString();
  return bytes;
}

// One step of a script: a command and who signs it.
std::string Step(Actor signer, const v1::Command& command) {
  return std::string(1, static_cast<char>(signer)) + command.SerializeAsString();
}

std::string Script(std::initializer_list<std::string> steps) {
  std::string bytes(1, kScriptMode);
  for (const std::string& step : steps) {
    if (bytes.size() > 1) bytes += kScriptStepSeparator;
    bytes += step;
  }
  return bytes;
}

void WriteSignedCommandSeeds(SeedWriter& seeds) {
  constexpr std::string_view kTarget = "signed_command";
  v1::Command command;

  seeds.Write(kTarget, "raw-credit",
              Raw(Credit("credit", Actor::kTenant, 10'000), Actor::kOperator));
  seeds.Write(kTarget, "raw-debit", Raw(Debit("debit", Actor::kTenant, 2'500), Actor::kOperator));
  command = Named("open-usd");
  command.mutable_open_account()->set_currency("USD");
  seeds.Write(kTarget, "raw-open-account", Raw(command, Actor::kLandlord));
  command = Named("register");
  command.mutable_register_party()->set_public_key(KeyOf(Actor::kStranger).public_key());
  command.mutable_register_party()->set_display_name("Stranger");
  seeds.Write(kTarget, "raw-register", Raw(command, Actor::kStranger));
  seeds.Write(kTarget, "raw-create-hold", Raw(CreateHold("hold", 1'000, kDayMs), Actor::kTenant));
  command = Named("release");
  command.mutable_release_hold()->set_hold_id(BaseHoldId());
  *command.mutable_release_hold()->mutable_amount() = Amount("EUR", 1'500);
  seeds.Write(kTarget, "raw-release-hold", Raw(command, Actor::kTenant));
  command = Named("void");
  command.mutable_void_hold()->set_hold_id(BaseHoldId());
  seeds.Write(kTarget, "raw-void-hold", Raw(command, Actor::kLandlord));
  command = Named("create");
  command.mutable_create_contract()->set_terms(DepositTermsFor("EUR", 80'000).SerializeAsString());
  seeds.Write(kTarget, "raw-create-contract", Raw(command, Actor::kLandlord));
  command = Named("sign");
  command.mutable_sign_contract()->set_contract_id(BaseProposedContractId());
  command.mutable_sign_contract()->set_signature(
      SignContractTerms(Sha256(TaggedBytes(domain::kContractTerms,
                                           DepositTermsFor("EUR", 50'000).SerializeAsString())),
                        KeyOf(Actor::kLandlord)));
  seeds.Write(kTarget, "raw-sign-contract", Raw(command, Actor::kLandlord));
  command = Named("fund");
  command.mutable_fund_contract()->set_contract_id(BaseProposedContractId());
  seeds.Write(kTarget, "raw-fund-unsigned", Raw(command, Actor::kTenant));
  seeds.Write(kTarget, "raw-propose-split",
              Raw(Propose("propose", BaseContractId(), 30'000), Actor::kLandlord));

  // Scripts: empty ids are filled in with the last contract or hold (the base ones first).
  v1::Command accept = Named("accept");
  accept.mutable_accept_split()->set_proposal_number(1);
  seeds.Write(kTarget, "script-agree",
              Script({Step(Actor::kLandlord, Propose("propose", "", 30'000)),
                      Step(Actor::kTenant, accept)}));
  v1::Command dispute = Named("dispute");
  dispute.mutable_dispute_contract()->set_reason("the walls were like that");
  v1::Command decide = Named("decide");
  AddSplit(decide.mutable_decide_contract()->mutable_payouts(), 10'000);
  seeds.Write(kTarget, "script-dispute",
              Script({Step(Actor::kLandlord, Propose("propose", "", 45'000)),
                      Step(Actor::kTenant, dispute), Step(Actor::kArbiter, decide)}));
  seeds.Write(
      kTarget, "script-uncontested",
      Script({Step(Actor::kTenant, Propose("propose", "", 0)), std::string(1, ClockStep(19))}));
  seeds.Write(kTarget, "script-refund-and-expiry", Script({std::string(1, ClockStep(22))}));

  v1::Command create = Named("create");
  create.mutable_create_contract()->set_terms(DepositTermsFor("BHD", 250'000).SerializeAsString());
  v1::Command sign = Named("sign");
  sign.mutable_sign_contract();
  v1::Command fund = Named("fund");
  fund.mutable_fund_contract();
  seeds.Write(kTarget, "script-new-deposit",
              Script({Step(Actor::kTenant, create), Step(Actor::kTenant, sign),
                      Step(Actor::kLandlord, sign), Step(Actor::kArbiter, sign),
                      Step(Actor::kTenant, fund)}));
  v1::Command release = Named("release");
  *release.mutable_release_hold()->mutable_amount() = Amount("EUR", 400);
  seeds.Write(kTarget, "script-hold-release",
              Script({Step(Actor::kTenant, CreateHold("hold", 1'000, kDayMs)),
                      Step(Actor::kTenant, release)}));
  seeds.Write(kTarget, "script-hold-expiry",
              Script({Step(Actor::kTenant, CreateHold("hold", 700, kHourMs)),
                      std::string(1, ClockStep(12))}));
  seeds.Write(kTarget, "script-credit-debit",
              Script({Step(Actor::kOperator, Credit("credit", Actor::kLandlord, 9'000)),
                      Step(Actor::kOperator, Debit("debit", Actor::kLandlord, 4'000)),
                      Step(Actor::kOperator, Debit("debit", Actor::kLandlord, 4'000))}));
  v1::Command register_party = Named("register");
  register_party.mutable_register_party()->set_display_name("Stranger");
  command = Named("open");
  command.mutable_open_account()->set_currency("CLF");
  seeds.Write(kTarget, "script-register",
              Script({Step(Actor::kStranger, register_party), Step(Actor::kStranger, command)}));
  command = Credit("stale", Actor::kTenant, 100);
  command.set_issued_at_unix_ms(kStartUnixMs - kDayMs);
  seeds.Write(kTarget, "script-stale", Script({Step(Actor::kOperator, command)}));
  // Signing times of the caller's own, within the engine's skew window.
  command = Credit("signed-now", Actor::kLandlord, 100);
  command.set_issued_at_unix_ms(kStartUnixMs);
  v1::Command hold = CreateHold("hold", 300, kDayMs);
  hold.set_issued_at_unix_ms(kStartUnixMs + 60'000);
  seeds.Write(kTarget, "script-own-times",
              Script({Step(Actor::kOperator, command), Step(Actor::kTenant, hold)}));
}

void WriteContractTermsSeeds(SeedWriter& seeds) {
  constexpr std::string_view kTarget = "contract_terms";
  const std::pair<std::string_view, std::string> seeds_by_name[] = {
      {"tenant-proposes", WithMode(0, DepositTermsFor("EUR", 50'000).SerializeAsString())},
      {"landlord-proposes", WithMode(1, DepositTermsFor("EUR", 12'345).SerializeAsString())},
      {"funded-jpy", WithMode(2, DepositTermsFor("JPY", 5'000).SerializeAsString())},
      {"claimed-bhd", WithMode(4, DepositTermsFor("BHD", 123'456).SerializeAsString())},
      {"refunded-eur", WithMode(6, DepositTermsFor("EUR", 99'999).SerializeAsString())},
      {"more-than-the-tenant-has",
       WithMode(2, DepositTermsFor("EUR", 5'000'000).SerializeAsString())},
      {"no-template", WithMode(0, "")},
  };
  for (const auto& [name, bytes] : seeds_by_name) seeds.Write(kTarget, name, bytes);
  v1::ContractTerms same_party = DepositTermsFor("EUR", 100);
  same_party.mutable_deposit()->set_arbiter_party_id(PartyIdOf(Actor::kTenant));
  seeds.Write(kTarget, "same-party", WithMode(0, same_party.SerializeAsString()));
}

void WriteEnvelopeSeeds(SeedWriter& seeds) {
  constexpr std::string_view kTarget = "envelope";
  const SigningKey& key = KeyOf(Actor::kTenant);
  const std::string command = Credit("credit", Actor::kTenant, 100).SerializeAsString();
  const std::pair<std::string_view, std::string_view> sealed[] = {
      {"sealed-command", domain::kCommand},
      {"sealed-contract-terms", domain::kContractTerms},
      {"sealed-contract-signature", domain::kContractSignature},
      {"sealed-receipt", domain::kReceipt},
  };
  for (const auto& [name, tag] : sealed) {
    seeds.Write(kTarget, name, WithMode(0, SealEnvelope(tag, command, key).SerializeAsString()));
  }
  v1::SignedEnvelope short_signature = SealEnvelope(domain::kCommand, command, key);
  short_signature.set_signature("too short");
  seeds.Write(kTarget, "short-signature", WithMode(0, short_signature.SerializeAsString()));
  seeds.Write(kTarget, "body-command", Concat("\x01", domain::kCommand, "\n", command));
  seeds.Write(kTarget, "body-receipt", Concat("\x01", domain::kReceipt, "\nreceipt"));
  seeds.Write(kTarget, "body-untagged", WithMode(1, "no tag here"));
  seeds.Write(kTarget, "body-tag-only", Concat("\x01", domain::kContractTerms));
}

void WriteJournalSeeds(SeedWriter& seeds) {
  constexpr std::string_view kTarget = "journal_record";
  FuzzEngine fuzz;
  v1::ListJournalRecordsRequest request;
  request.set_page_size(1000);
  absl::StatusOr<v1::ListJournalRecordsResponse> journal =
      fuzz.engine().ListJournalRecords(request);
  CheckOk(journal.status(), "listing the base journal");
  // As many records as fit the fuzzer's 4096-byte inputs.
  v1::ListJournalRecordsResponse fitting;
  for (const v1::JournalRecord& record : journal->records()) {
    *fitting.add_records() = record;
    if (fitting.ByteSizeLong() > 4000) {
      fitting.mutable_records()->RemoveLast();
      break;
    }
  }
  seeds.Write(kTarget, "base-journal", WithMode(0, fitting.SerializeAsString()));
  seeds.Write(kTarget, "base-journal-rechained", WithMode(1, fitting.SerializeAsString()));
  v1::ListJournalRecordsResponse first_three;
  for (int index = 0; index < 3 && index < journal->records_size(); ++index) {
    *first_three.add_records() = journal->records(index);
  }
  seeds.Write(kTarget, "first-three", WithMode(0, first_three.SerializeAsString()));
  v1::ListJournalRecordsResponse swapped = first_three;
  swapped.mutable_records()->SwapElements(1, 2);
  seeds.Write(kTarget, "swapped", WithMode(0, swapped.SerializeAsString()));
  seeds.Write(kTarget, "empty", WithMode(0, ""));
}

std::string Int64Bytes(int64_t value) {
  std::string bytes;
  const auto bits = static_cast<uint64_t>(value);
  for (int index = 0; index < 8; ++index) bytes.push_back(static_cast<char>(bits >> (8 * index)));
  return bytes;
}

void WriteMoneySeeds(SeedWriter& seeds) {
  constexpr std::string_view kTarget = "money_text";
  const std::pair<std::string_view, std::string> seeds_by_name[] = {
      {"text-amount-first", WithMode(0, "1200.50 EUR")},
      {"text-code-first", WithMode(0, "EUR 1200.50")},
      {"text-negative", WithMode(0, "-0.05 EUR")},
      {"text-yen", WithMode(0, "12 JPY")},
      {"text-dinar", WithMode(0, "0.001 BHD")},
      {"text-largest", WithMode(0, "1000000000000000.00 EUR")},
      {"pair-euro", WithMode(1, "1200.5\nEUR")},
      {"pair-clf", WithMode(1, "1.0001\nCLF")},
      {"pair-leading-zeros", WithMode(1, "0007.50\nUSD")},
      {"pair-too-many-decimals", WithMode(1, "12.5\nJPY")},
      {"units-euro", WithMode(2, Int64Bytes(120'050) + "EUR")},
      {"units-smallest", WithMode(2, Int64Bytes(INT64_MIN) + "EUR")},
      {"units-limit", WithMode(2, Int64Bytes(1'000'000'000'000'000'000) + "JPY")},
  };
  for (const auto& [name, bytes] : seeds_by_name) seeds.Write(kTarget, name, bytes);
}

}  // namespace
}  // namespace argentpoche::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\nwrites the fuzz seed corpora into DIR/<target>/\n",
                 argv[0]);
    return 2;
  }
  argentpoche::fuzz::SeedWriter seeds(argv[1]);
  argentpoche::fuzz::WriteSignedCommandSeeds(seeds);
  argentpoche::fuzz::WriteContractTermsSeeds(seeds);
  argentpoche::fuzz::WriteEnvelopeSeeds(seeds);
  argentpoche::fuzz::WriteJournalSeeds(seeds);
  argentpoche::fuzz::WriteMoneySeeds(seeds);
  std::printf("wrote %d seeds into %s\n", seeds.written(), argv[1]);
  return 0;
}
