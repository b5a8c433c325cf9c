// Oracles, weather insurance and a bet from the command line, end to end: the poche-engine
// binary on the real clock, driven by the poche binary. Three oracles are registered (one
// key given explicitly, one rotated); an insurance policy is created, signed and funded with
// `poche insurance create`; the same cover written as conditional terms in a JSON file, with
// times moved to now, settles when two oracles attest with `poche oracle attest` (100.4 mm
// and 100.0 mm: 5000.00 USD to the insured, to the cent); the example terms file of
// docs/examples settles the bet it describes; an oracle that signs two values is caught,
// its proof shown, and the policy relying on it goes to dispute, where the arbiter decides.
// Balances are checked after each step. Also: usage errors exit 2 and send nothing.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "absl/time/time.h"
#include "engine/strings.h"
#include "engine/weather_template.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/test_engine.h"

extern char** environ;

namespace argentpoche::testing {
namespace {

constexpr int64_t kHourMs = 3'600'000;
const std::string kExample =
    std::string(POCHE_SOURCE_DIR) + "/docs/examples/price_above_threshold.txtpb";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The text between `before` (its first occurrence) and the next `after`, or "".
std::string Between(const std::string& text, std::string_view before, std::string_view after) {
  const size_t start = text.find(before);
  if (start == std::string::npos) return "";
  const size_t from = start + before.size();
  return text.substr(from, text.find(after, from) - from);
}

int Count(const std::string& text, std::string_view part) {
  int count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::string Replaced(std::string text, const std::string& old_text, const std::string& new_text) {
  for (size_t at = text.find(old_text); at != std::string::npos;
       at = text.find(old_text, at + new_text.size())) {
    text.replace(at, old_text.size(), new_text);
  }
  return text;
}

struct PocheRun {
  int exit_status = -1;
  std::string output;
};

class OracleCliProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string keys = work_.path() + "/home/keys";
    ASSERT_EQ(mkdir((work_.path() + "/home").c_str(), 0700), 0);
    ASSERT_EQ(mkdir(keys.c_str(), 0700), 0);
    for (const auto& [name, party] : parties_) {
      const std::string path = Concat(keys, "/", name, ".key");
      std::ofstream(path) << Hex(party->key.Seed()) << "\n";
      ASSERT_EQ(chmod(path.c_str(), 0600), 0);
    }
    StartEngine();
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (engine_pid_ <= 0) return;
    kill(engine_pid_, SIGTERM);
    waitpid(engine_pid_, nullptr, 0);
  }

  void StartEngine() {
    const std::string log = work_.path() + "/engine.log";
    std::vector<std::string> arguments = {
        "poche-engine", "--listen=127.0.0.1:0", Concat("--data_dir=", work_.path(), "/data"),
        Concat("--operator_public_key=", Hex(operator_.key.public_key())),
        "--scheduler_poll_ms=50"};
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    ASSERT_EQ(
        posix_spawn(&engine_pid_, POCHE_ENGINE_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    for (int attempt = 0; attempt < 200 && port_ == 0; ++attempt) {
      port_ = std::atoi(
          Between(ReadFile(log), "\"event\":\"listening\",\"detail\":\"127.0.0.1:", "\"").c_str());
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  PocheRun Poche(const std::string& arguments) {
    const std::string command = Concat(POCHE_BINARY, " --engine 127.0.0.1:", port_, " --home ",
                                       work_.path(), "/home ", arguments, " 2>&1");
    PocheRun run;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[4096];
    size_t count = 0;
    while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, count);
    const int status = pclose(pipe);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }
  // Runs poche and expects success.
  std::string Act(const std::string& arguments) {
    const PocheRun run = Poche(arguments);
    EXPECT_EQ(run.exit_status, 0) << "poche " << arguments << ":\n" << run.output;
    return run.output;
  }
  // Creates a contract (--json) and returns its id.
  std::string Create(const std::string& arguments) {
    const std::string id = Between(Act(Concat("--json ", arguments)), "\"id\": \"", "\"");
    EXPECT_EQ(id.size(), 17u) << arguments;
    return id;
  }
  std::string Balance(const std::string& account) {
    return Between(Act(Concat("account show ", account)), "Balance:", "\n");
  }
  // Signs and funds `contract`; `quick` (--json) skips the words, for a deadline near.
  void SignAndFund(const std::string& contract, const std::vector<std::string>& signers,
                   const std::vector<std::string>& funders, bool quick = false) {
    const std::string json = quick ? "--json " : "";
    for (const std::string& name : signers) {
      Act(Concat(json, "contract sign --key ", name, " ", contract));
    }
    for (const std::string& name : funders) {
      Act(Concat(json, "contract fund --key ", name, " ", contract));
    }
  }
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = Concat(work_.path(), "/", name);
    std::ofstream(path) << text;
    return path;
  }

  void Enroll() {
    const std::map<std::string, std::string> names = {{"insurer", "\"Ivy Insurer\""},
                                                      {"insured", "\"Ian Insured\""},
                                                      {"arbiter", "Ada"},
                                                      {"alice", "Alice"},
                                                      {"bob", "Bob"},
                                                      {"oracle-a", "\"Oracle A\""},
                                                      {"oracle-b", "\"Oracle B\""},
                                                      {"oracle-c", "\"Oracle C\""}};
    for (const auto& [name, display] : names) {
      Act(Concat("party register --key ", name, " --display-name ", display));
      if (!name.starts_with("oracle")) Act(Concat("account open --key ", name, " --currency USD"));
    }
    for (const auto& [name, amount] : std::map<std::string, std::string>{{"insurer", "20000.00"},
                                                                         {"insured", "1000.00"},
                                                                         {"alice", "100.00"},
                                                                         {"bob", "900.00"}}) {
      Act(Concat("account credit --key operator --account ", name, ":USD --amount \"", amount,
                 " USD\" --reference capital"));
    }
  }

  // The flood cover of the worked example, over the days `from` to `to`.
  v1::WeatherCoverTerms Cover(const std::string& from, const std::string& to) const {
    v1::WeatherCoverTerms cover;
    cover.set_insurer_party_id(insurer_.id());
    cover.set_insured_party_id(insured_.id());
    cover.set_arbiter_party_id(arbiter_.id());
    cover.set_source("fte");
    cover.set_station("KNYC");
    cover.set_index(v1::WEATHER_INDEX_RAINFALL);
    cover.set_unit(v1::WEATHER_UNIT_MILLIMETRES);
    cover.set_scale(1);
    cover.set_period_start(from);
    cover.set_period_end(to);
    cover.set_direction(v1::COVER_DIRECTION_EXCESS);
    cover.set_trigger(500);
    cover.set_exit(1500);
    cover.mutable_limit()->set_currency("USD");
    cover.mutable_limit()->set_minor_units(1'000'000);
    cover.mutable_premium()->set_currency("USD");
    cover.mutable_premium()->set_minor_units(40'000);
    for (const TestParty* oracle : {&oracle_a_, &oracle_b_, &oracle_c_}) {
      cover.mutable_oracles()->add_oracle_party_ids(oracle->id());
    }
    cover.mutable_oracles()->set_quorum(2);
    cover.mutable_oracles()->set_aggregation(v1::AGGREGATION_MEDIAN);
    cover.mutable_oracles()->set_max_spread(20);
    cover.set_grace_period_ms(7 * 24 * kHourMs);
    cover.set_fund_by_unix_ms(NowMs() + kHourMs);
    return cover;
  }

  TempDir work_;
  TestParty operator_{0xee};
  TestParty insurer_{1};
  TestParty insured_{2};
  TestParty arbiter_{3};
  TestParty oracle_a_{4};
  TestParty oracle_b_{5};
  TestParty oracle_c_{6};
  TestParty oracle_c2_{7};
  TestParty alice_{8};
  TestParty bob_{9};
  const std::map<std::string, const TestParty*> parties_ = {
      {"operator", &operator_}, {"insurer", &insurer_},
      {"insured", &insured_},   {"arbiter", &arbiter_},
      {"oracle-a", &oracle_a_}, {"oracle-b", &oracle_b_},
      {"oracle-c", &oracle_c_}, {"oracle-c2", &oracle_c2_},
      {"alice", &alice_},       {"bob", &bob_}};
  pid_t engine_pid_ = -1;
  int port_ = 0;
};

TEST_F(OracleCliProcessTest, OraclesSettleAnInsuranceCoverAndABetToTheCent) {
  Enroll();
  const std::string feeds = "--feed 'weather/fte/*' --feed 'price/*' --valid-until +365d";
  Act(Concat("oracle register --key operator --oracle oracle-a ", feeds));
  Act(Concat("oracle register --key operator --oracle oracle-b --public-key ",
             Hex(oracle_b_.key.public_key()), " ", feeds));
  Act(Concat("oracle register --key operator --oracle oracle-c ", feeds));
  Act("oracle rotate --key oracle-c --oracle oracle-c --public-key oracle-c2 --valid-until +30d");
  const std::string listed = Act("oracle list");
  EXPECT_NE(listed.find("Oracles: 3"), std::string::npos) << listed;
  const std::string shown = Act("oracle show oracle-c");
  EXPECT_NE(shown.find("in good standing"), std::string::npos) << shown;
  EXPECT_NE(shown.find(Concat(oracle_c2_.id(), ": valid from")), std::string::npos) << shown;
  EXPECT_NE(shown.find("(current)"), std::string::npos) << shown;

  // The policy from flags: the period ends tomorrow, so it cannot settle during the test.
  const absl::Time now = absl::Now();
  const std::string today = absl::FormatTime("%Y-%m-%d", now, absl::UTCTimeZone());
  const std::string tomorrow =
      absl::FormatTime("%Y-%m-%d", now + absl::Hours(24), absl::UTCTimeZone());
  const std::string policy = Create(Concat(
      "insurance create --key insured --insurer insurer --insured insured --arbiter arbiter "
      "--source fte --station KNYC --index rainfall --unit mm --from ",
      today, " --to ", tomorrow,
      " --cover excess --trigger 50.0 --exit 150.0 --limit \"10000.00 USD\" --premium 400.00 "
      "--oracle oracle-a --oracle oracle-b --oracle oracle-c --quorum 2 --max-spread 2.0 "
      "--grace 7d --fund-by +1h --description \"flood cover\""));
  SignAndFund(policy, {"insurer", "insured", "arbiter"}, {"insurer", "insured"});
  EXPECT_EQ(Balance("insurer:USD"), "        10000.00 USD");
  EXPECT_EQ(Balance("insured:USD"), "        600.00 USD");
  const std::string explained = Act(Concat("contract show ", policy));
  for (const char* expected :
       {"State: funded: it settles by itself once an outcome below holds",
        "the insured (Ian Insured) receives 0.00 USD at 50.0 mm or less, rising linearly to "
        "10000.00 USD at 150.0 mm or more",
        "the insurer (Ivy Insurer) receives the rest of 10400.00 USD",
        "the refund: the insurer (Ivy Insurer) gets 10000.00 USD back, the insured (Ian Insured) "
        "400.00 USD",
        "the arbiter (Ada) decides how the 10400.00 USD is split",
        "no oracle has announced the event yet", "signature checks out"}) {
    EXPECT_NE(explained.find(expected), std::string::npos) << expected << " not in:\n" << explained;
  }

  // The same cover as conditional terms in a JSON file, its times moved to now; and the
  // example bet with its times moved the same way.
  // Funding must end before fund_by, decisions come after decide_at: seconds apart, so
  // that a slow machine (a sanitizer build under load) still funds in time.
  const int64_t t0 = NowMs();
  const int64_t fund_by = t0 + 8000;
  const int64_t decide_at = fund_by + 1000;
  v1::ContractTerms cover_terms;
  v1::ConditionalTerms& cover = *cover_terms.mutable_conditional();
  cover = *CompileWeatherCoverTerms(Cover(today, tomorrow));
  cover.set_fund_by_unix_ms(fund_by);
  cover.mutable_branches(0)->mutable_condition()->set_after_unix_ms(decide_at);
  cover.mutable_value_sources(0)->set_observe_from_unix_ms(t0 - 60'000);
  cover.mutable_value_sources(0)->set_observe_until_unix_ms(t0 + kHourMs - 1);
  cover.set_hard_deadline_unix_ms(t0 + kHourMs);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(cover_terms, &json).ok());
  const std::string now_cover =
      Create(Concat("contract create --key insured --terms ", WriteFile("cover.json", json)));
  std::string bet = ReadFile(kExample);
  bet = Replaced(bet, "1893369600000", Concat(fund_by));
  bet = Replaced(bet, "1893456000000", Concat(decide_at));
  bet = Replaced(bet, "1894060799999", Concat(t0 + kHourMs - 1));
  bet = Replaced(bet, "1894060800000", Concat(t0 + kHourMs));
  const std::string bet_contract =
      Create(Concat("contract create --key alice --terms ", WriteFile("bet.txtpb", bet)));
  SignAndFund(now_cover, {"insurer", "insured", "arbiter"}, {"insurer", "insured"}, true);
  SignAndFund(bet_contract, {"alice", "bob"}, {"alice", "bob"}, true);
  ASSERT_LT(NowMs(), fund_by) << "too slow to fund before the funding deadline";
  EXPECT_EQ(Balance("insurer:USD"), "        0.00 USD");
  EXPECT_EQ(Balance("alice:USD"), "        0.00 USD");
  std::this_thread::sleep_for(
      std::chrono::milliseconds(std::max<int64_t>(0, decide_at + 200 - NowMs())));

  // Two oracles attest the rainfall: the lower median of 100.0 and 100.4 mm is 100.0 mm.
  const std::string weather =
      Concat("--feed weather/fte/KNYC/rain_mm --event ", today, "..", tomorrow);
  Act(Concat("oracle announce --key oracle-a ", weather, " --from -1m --until +1h"));
  Act(Concat("oracle attest --key oracle-a ", weather, " --value 100.4 --observed-at now"));
  const std::string attested =
      Act(Concat("oracle attest --key oracle-b ", weather, " --value 100.0 --observed-at now"));
  EXPECT_NE(attested.find(Concat("It decided contract ", now_cover)), std::string::npos)
      << attested;
  EXPECT_NE(Act(Concat("contract show --json ", now_cover)).find("CONTRACT_STATE_SETTLED"),
            std::string::npos);
  const std::string settled = Act(Concat("contract show ", now_cover));
  EXPECT_NE(settled.find("with index at 100.0 mm: the insured (Ian Insured) receives 5000.00 "
                         "USD, the insurer (Ivy Insurer) 5400.00 USD"),
            std::string::npos)
      << settled;
  EXPECT_NE(settled.find("the signature checks out"), std::string::npos) << settled;
  EXPECT_EQ(Balance("insured:USD"), "        5200.00 USD");  // 1000 - 2 x 400 + 5000
  EXPECT_EQ(Balance("insurer:USD"), "        5400.00 USD");  // 20000 - 2 x 10000 + 5400

  // The bet: 50100.00 and 50105.00 USD, above 50000.00: Alice takes the 1000.00 USD pot.
  const std::string price = Concat("--feed price/BTC-USD --event at:", decide_at);
  Act(Concat("oracle announce --key oracle-c ", price, " --from ", decide_at, " --until +1h"));
  Act(Concat("oracle attest --key oracle-a ", price, " --value 50100.00 --observed-at ",
             decide_at));
  Act(Concat("oracle attest --key oracle-c --attestation-key oracle-c2 ", price,
             " --value 50105.00 --observed-at ", decide_at));
  EXPECT_NE(Act(Concat("contract show ", bet_contract)).find("State: settled by outcome 1"),
            std::string::npos);
  EXPECT_EQ(Balance("alice:USD"), "        1000.00 USD");
  EXPECT_EQ(Balance("bob:USD"), "        0.00 USD");
  const std::string attestations = Act(Concat("oracle attestations ", price));
  EXPECT_NE(attestations.find("Attestations of price/BTC-USD"), std::string::npos);
  EXPECT_EQ(Count(attestations, "signature checks out"), 2) << attestations;

  // Oracle B signs a second value: caught, flagged, and the policy goes to dispute.
  const std::string equivocated =
      Act(Concat("oracle attest --key oracle-b ", weather, " --value 101.0 --observed-at now"));
  const std::string proof = Between(equivocated, "as proof ", ",");
  ASSERT_FALSE(proof.empty()) << equivocated;
  const std::string proof_text = Act(Concat("oracle proof ", proof));
  EXPECT_NE(proof_text.find("signed two different values"), std::string::npos) << proof_text;
  EXPECT_NE(proof_text.find(policy), std::string::npos) << proof_text;
  EXPECT_NE(Act("oracle show oracle-b").find("FLAGGED"), std::string::npos);
  EXPECT_NE(Act(Concat("contract show ", policy)).find("State: in dispute"), std::string::npos);
  Act(Concat("contract decide --key arbiter ", policy,
             " --pay insured=400.00 --pay \"insurer=10000.00 USD\""));
  EXPECT_EQ(Balance("insured:USD"), "        5600.00 USD");
  EXPECT_EQ(Balance("insurer:USD"), "        15400.00 USD");
  Act(Concat("oracle revoke --key operator --oracle oracle-a --reason retired"));
  EXPECT_NE(Act("oracle show oracle-a").find("revoked"), std::string::npos);
  Act("journal verify");
}

TEST_F(OracleCliProcessTest, UsageErrorsExitTwoAndSendNothing) {
  const std::string before = Act("contract list");
  const std::string bad_text = WriteFile(
      "bad.txtpb", "conditional {\n  locked_total { currency: \"USD\" }\n  hard_deadline: 5\n}\n");
  PocheRun run = Poche(Concat("contract create --key alice --terms ", bad_text));
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("bad.txtpb:3:16: "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("no field named \"hard_deadline\""), std::string::npos);
  const std::string bad_json =
      WriteFile("bad.json", "{\n  \"conditional\": {\n    \"description\": \"a\"\n    \"x\": 1\n}");
  run = Poche(Concat("contract create --key alice --terms ", bad_json));
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("bad.json:4:5: expected ',' or '}'"), std::string::npos) << run.output;
  run =
      Poche("oracle attest --key oracle-a --feed f --event e --value 1 --observed-at now --bogus");
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.output.find("poche oracle attest has no flag --bogus"), std::string::npos);
  run = Poche(
      "insurance create --key insured --insurer insurer --insured insured --source fte "
      "--station KNYC --index rainfall --unit mm --from 2030-07-01 --to 2030-07-31 --cover excess "
      "--trigger 50.0 --exit 150 --limit \"10000.00 USD\" --premium 400.00 --oracle oracle-a "
      "--quorum 1 --grace 7d --fund-by 2030-06-01");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("SCALE_MISMATCH"), std::string::npos) << run.output;
  run = Poche(
      "option create --key alice --kind call --writer bob --buyer alice --feed price/BTC-USD "
      "--strike 42000.00 --quantity 0.5 --collateral 100.00 --premium 5.00 --expiry 2030-01-01 "
      "--oracle oracle-a --quorum 2 --grace 1d --fund-by 2029-12-01");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("--quorum"), std::string::npos) << run.output;
  run = Poche("oracle announce --key oracle-a --feed f --event e --from tomorrow --until +1d");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_NE(run.output.find("BAD_TIME"), std::string::npos) << run.output;
  EXPECT_EQ(Act("contract list"), before);
}

}  // namespace
}  // namespace argentpoche::testing
