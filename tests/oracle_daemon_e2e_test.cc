// Three poche-oracle daemons (the real binary, one process per run) attest to the real
// engine server on loopback (RocksDB in a temp dir, a manual clock): a 2-of-3 quorum
// settles a weather cover from daily observations and an option from price ticks; a
// daemon reading wrong data (beyond the allowed spread) sends the cover to dispute; a
// daemon that attests two different values is caught; a cover whose daemons have no data
// is refunded at the end of its grace period across a restart; and, where the shared
// reference data is present, the real New York Central Park record settles a July 2014
// cover.
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/escaping.h"
#include "engine/feeds.h"
#include "engine/strings.h"
#include "tests/support/oracle_fixture.h"

namespace argentpoche::testing {
namespace {

constexpr char kEvent[] = "2026-12-01..2026-12-07";
constexpr int64_t kObserved = 1796688000000;  // 2026-12-08 00:00 UTC

// Daily observations for the first week of December 2026 in °F and inches:
// 0.50 + 1.00 + 0.25 + 0.00 + 1.25 + 0.20 + 0.74 = 3.94 in = 100.076 mm.
std::string WeekCsv(const std::string& rain_on_the_5th) {
  return Concat(
      "date,actual_mean_temp,actual_min_temp,actual_max_temp,actual_precipitation\n"
      "2026-12-1,40,35,45,0.50\n2026-12-2,41,36,46,1.00\n2026-12-3,39,33,45,0.25\n"
      "2026-12-4,38,30,46,0.00\n2026-12-5,40,34,46,",
      rain_on_the_5th,
      "\n2026-12-6,42,38,46,0.20\n"
      "2026-12-7,43,39,47,0.74\n");
}

class OracleDaemonTest : public OracleTest {
 protected:
  OracleDaemonTest() = default;
  explicit OracleDaemonTest(int64_t clock_start_unix_ms) : OracleTest(clock_start_unix_ms) {}

  void SetUp() override {
    OracleTest::SetUp();
    std::filesystem::create_directories(home_.path() + "/keys");
    ::chmod((home_.path() + "/keys").c_str(), 0700);
    for (const auto& [name, party] :
         {std::pair{"a", &oracle_a_}, std::pair{"b", &oracle_b_}, std::pair{"c", &oracle_c_}}) {
      // Test keys only: the fixture's oracles, written as the poche key store does.
      const std::string path = Concat(home_.path(), "/keys/oracle-", name, ".key");
      std::ofstream(path) << absl::BytesToHexString(party->key.Seed()) << "\n";
      ::chmod(path.c_str(), 0600);
    }
  }

  std::string WriteFile(const std::string& name, const std::string& contents) {
    const std::string path = Concat(home_.path(), "/", name);
    std::ofstream(path) << contents;
    return path;
  }

  // Runs one daemon pass (--once) as oracle `name`; returns its exit status.
  int RunDaemon(const std::string& name, const std::string& data_flags, const std::string& event) {
    const std::string log = Concat(home_.path(), "/daemon-", name, ".log");
    const std::string command =
        Concat("timeout 60 ", POCHE_ORACLE_BINARY, " --once --home=", home_.path(),
               " --key=oracle-", name, " --engine=127.0.0.1:", engine_.server().port(), " ",
               data_flags, " --event=", event, " > ", log, " 2>&1");
    const int status = std::system(command.c_str());
    std::ifstream in(log);
    last_log_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string WeatherFlags(const std::string& csv) {
    return Concat("--weather_csv=", csv,
                  " --temperature_unit=f --precipitation_unit=in --source=test --station=CP");
  }

  // A flood cover (OracleTest::FloodCover) on weather/test/CP/rain_mm for the week, or
  // on another station and period.
  v1::Contract FundedCover(const std::string& station = "CP",
                           const std::string& start = "2026-12-01",
                           const std::string& end = "2026-12-07", int64_t fund_by = 0) {
    const v1::WeatherCoverTerms cover =
        FloodCover(station == "CP" ? "test" : "fte", station, start, end,
                   fund_by != 0 ? fund_by : engine_.clock().NowUnixMs() + kDay,
                   /*with_arbiter=*/false);
    v1::ContractTerms terms;
    *terms.mutable_weather_cover() = cover;
    return CreateSignFund(terms, insured_, {&insurer_, &insured_}, {&insurer_, &insured_});
  }

  TempDir home_;
  std::string last_log_;
};

class OracleDaemonE2eTest : public OracleDaemonTest {};

// The engine's clock starts on 2014-06-20, before the cover is sold.
class CentralParkTest : public OracleDaemonTest {
 protected:
  CentralParkTest() : OracleDaemonTest(DayStartUnixMs({2014, 6, 20})) {}
};

TEST_F(OracleDaemonE2eTest, TwoHonestDaemonsSettleTheCoverFromDailyObservations) {
  v1::Contract contract = FundedCover();
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  engine_.clock().Set(kObserved + kHour);
  const std::string csv = WriteFile("week.csv", WeekCsv("1.25"));
  const std::string event = Concat("weather/test/CP/rain_mm@", kEvent);
  ASSERT_EQ(RunDaemon("a", WeatherFlags(csv), event), 0) << last_log_;
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);
  ASSERT_EQ(RunDaemon("b", WeatherFlags(csv), event), 0) << last_log_;
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED) << last_log_;
  // 100.076 mm attested at scale 3, rescaled to 1001 (100.1 mm): (1001 - 500) / 1000 of
  // the 10,000.00 limit = 5,010.00 to the insured; the insurer keeps 5,390.00.
  EXPECT_EQ(contract.conditional().values(0).value(), 1001);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 501'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000 + 539'000);
  // Running a daemon again is safe: its attestation is already there.
  ASSERT_EQ(RunDaemon("a", WeatherFlags(csv), event), 0) << last_log_;
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 501'000);
  ExpectConsistent();
}

TEST_F(OracleDaemonE2eTest, ADaemonReadingWrongDataSendsTheCoverToDispute) {
  v1::Contract contract = FundedCover();
  engine_.clock().Set(kObserved + kHour);
  const std::string event = Concat("weather/test/CP/rain_mm@", kEvent);
  ASSERT_EQ(RunDaemon("a", WeatherFlags(WriteFile("honest.csv", WeekCsv("1.25"))), event), 0)
      << last_log_;
  // 2.25 in on the 5th instead of 1.25: 125.476 mm, 25.4 mm beyond the honest value.
  ASSERT_EQ(RunDaemon("c", WeatherFlags(WriteFile("wrong.csv", WeekCsv("2.25"))), event), 0)
      << last_log_;
  contract = Get(contract.id());
  EXPECT_EQ(contract.state(), v1::CONTRACT_STATE_DISPUTED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000);
  ExpectConsistent();
}

TEST_F(OracleDaemonE2eTest, ADaemonAttestingTwoValuesIsCaught) {
  v1::Contract contract = FundedCover();
  engine_.clock().Set(kObserved + kHour);
  const std::string event = Concat("weather/test/CP/rain_mm@", kEvent);
  ASSERT_EQ(RunDaemon("c", WeatherFlags(WriteFile("first.csv", WeekCsv("1.25"))), event), 0)
      << last_log_;
  RunDaemon("c", WeatherFlags(WriteFile("second.csv", WeekCsv("1.35"))), event);
  grpc::ClientContext context;
  v1::GetOracleRequest request;
  request.set_party_id(oracle_c_.id());
  v1::Oracle oracle;
  ASSERT_TRUE(engine_.stub().GetOracle(&context, request, &oracle).ok());
  EXPECT_TRUE(oracle.flagged());
  ASSERT_EQ(oracle.equivocation_proof_ids_size(), 1);
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_DISPUTED);
  ExpectConsistent();
}

TEST_F(OracleDaemonE2eTest, TwoDaemonsSettleAnOptionFromPriceTicks) {
  const int64_t expiry = kTestEpochMs + 2 * kDay;
  // A put on 2 BTC, premium 300.00 USD, the oracles' prices exactly equal.
  const v1::OptionTerms option =
      BtcOption(v1::OPTION_KIND_PUT, 2, 0, 30'000, expiry, v1::AGGREGATION_EXACT, 0);
  v1::ContractTerms terms;
  *terms.mutable_option() = option;
  v1::Contract contract =
      CreateSignFund(terms, insured_, {&insurer_, &insured_}, {&insurer_, &insured_});
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  engine_.clock().Set(expiry + 60'000);
  // The last tick at or before expiry is 41,750.50.
  const std::string ticks =
      WriteFile("ticks.csv", Concat("time,price\n", expiry - 120'000, ",41800.00\n", expiry - 1000,
                                    ",41750.50\n", expiry + 1000, ",43000.00\n"));
  const std::string event = Concat("price/BTC-USD@", PriceEventId({.at_unix_ms = expiry}));
  const std::string flags = Concat("--price_csv=", ticks, " --price_scale=2");
  ASSERT_EQ(RunDaemon("b", flags, event), 0) << last_log_;
  ASSERT_EQ(RunDaemon("c", flags, event), 0) << last_log_;
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED) << last_log_;
  // Put: 2 x (42,000.00 - 41,750.50) = 499.00 to the buyer; the writer gets the rest.
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 30'000 + 49'900);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000 + 980'100);
  ExpectConsistent();
}

TEST_F(OracleDaemonE2eTest, DaemonsWithoutDataLeaveTheCoverToBeRefundedAcrossARestart) {
  v1::Contract contract = FundedCover();
  engine_.clock().Set(kObserved + kHour);
  // The data stops on the 6th: the daemons announce the event and wait.
  std::string partial = WeekCsv("1.25");
  partial.resize(partial.find("2026-12-7"));
  const std::string csv = WriteFile("partial.csv", partial);
  const std::string event = Concat("weather/test/CP/rain_mm@", kEvent);
  ASSERT_EQ(RunDaemon("a", WeatherFlags(csv), event), 0) << last_log_;
  ASSERT_EQ(RunDaemon("b", WeatherFlags(csv), event), 0) << last_log_;
  EXPECT_EQ(Get(contract.id()).state(), v1::CONTRACT_STATE_FUNDED);
  engine_.Stop();
  engine_.clock().Set(kObserved + 7 * kDay + kHour);
  engine_.Restart();
  engine_.AdvanceAndFire(0);
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_REFUNDED);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds);
  ExpectConsistent();
}

TEST_F(CentralParkTest, TheRealCentralParkRecordSettlesAJuly2014Cover) {
  const std::string knyc = Concat(POCHE_SHARED_DATA_DIR, "/weather/KNYC.csv");
  if (!std::filesystem::exists(knyc)) {
    GTEST_SKIP() << "the reference data " << knyc
                 << " is absent (it is not part of the repository): skipping the KNYC run";
  }
  v1::Contract contract =
      FundedCover("KNYC", "2014-07-01", "2014-07-31", DayStartUnixMs({2014, 7, 1}));
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_FUNDED);
  engine_.clock().Set(DayStartUnixMs({2014, 8, 1}) + kHour);
  const std::string flags = Concat("--weather_csv=", knyc,
                                   " --temperature_unit=f --precipitation_unit=in "
                                   "--source=fte --station=KNYC");
  const std::string event = "weather/fte/KNYC/rain_mm@2014-07-01..2014-07-31";
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_EQ(RunDaemon(name, flags, event), 0) << last_log_;
  }
  contract = Get(contract.id());
  ASSERT_EQ(contract.state(), v1::CONTRACT_STATE_SETTLED);
  // July 2014 at Central Park: 5.59 in = 141.986 mm, rescaled to 1420 (142.0 mm):
  // (1420 - 500) / 1000 of the 10,000.00 limit = 9,200.00 to the insured.
  EXPECT_EQ(contract.conditional().values(0).value(), 1420);
  EXPECT_EQ(engine_.Balance(insured_.account("USD")), kFunds - 40'000 + 920'000);
  EXPECT_EQ(engine_.Balance(insurer_.account("USD")), kFunds - 1'000'000 + 120'000);
  ExpectConsistent();
}

}  // namespace
}  // namespace argentpoche::testing
