// The daemon against the real engine (in-process gRPC server on loopback, RocksDB in a
// temp dir, the fixture's registered oracles): it announces, the engine stores the
// attestation with the exact value, a restarted daemon's retry is answered as the first
// try, another oracle announcing the same event identically is not an error, and a key
// that is not an oracle's is told so.
#include <memory>

#include "engine/status.h"
#include "engine/strings.h"
#include "gtest/gtest.h"
#include "oracles/daemon.h"
#include "oracles/grpc_oracle_engine.h"
#include "oracles/test_files.h"
#include "oracles/weather_csv.h"
#include "tests/support/oracle_fixture.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

// The fixture's clock starts at 2026-11-25 00:00 UTC: the period 2026-11-22..24 is
// observed then. Rain 0.96 + 0.10 + 0.05 = 1.11 in = 28.194 mm.
constexpr std::string_view kFeed = "weather/fte/KNYC/rain_mm";
constexpr std::string_view kEvent = "2026-11-22..2026-11-24";
constexpr std::string_view kCsv =
    "date,actual_min_temp,actual_max_temp,actual_precipitation\n"
    "2026-11-22,40,51,0.96\n2026-11-23,38,47,0.10\n2026-11-24,35,44,0.05\n";

class OracleEngineEndToEndTest : public argentpoche::testing::OracleTest {
 protected:
  OracleEngineEndToEndTest()
      : weather_(directory_.Write("knyc.csv", kCsv), WeatherCsvOptions{}),
        grpc_engine_(std::make_unique<GrpcOracleEngine>(
            Concat("127.0.0.1:", engine_.server().port()), cli::ClientTls{})) {
    options_.events.push_back(ParseEventSpec(Concat(kFeed, "@", kEvent)).value());
  }

  // A fresh daemon (as after a restart) signing with `oracle`'s key, one pass.
  std::vector<EventProgress> OnePass(const argentpoche::testing::TestParty& oracle) {
    OracleDaemon daemon(options_, DaemonPorts{.key = &oracle.key,
                                              .engine = grpc_engine_.get(),
                                              .weather = &weather_,
                                              .prices = nullptr,
                                              .clock = &engine_.clock()});
    daemon.RunPass();
    return daemon.events();
  }

  TestDirectory directory_;
  CsvWeatherSource weather_;
  std::unique_ptr<GrpcOracleEngine> grpc_engine_;
  DaemonOptions options_;
};

TEST_F(OracleEngineEndToEndTest, TheEngineStoresTheAnnouncedEventAndTheExactValue) {
  engine_.clock().Advance(2 * kHour);
  const std::vector<EventProgress> events = OnePass(oracle_a_);
  ASSERT_EQ(events[0].status, EventStatus::kAttested) << events[0].detail;

  const v1::OracleEvent event = GetEvent(std::string(kFeed), std::string(kEvent));
  EXPECT_EQ(event.announced_by_party_id(), oracle_a_.id());
  EXPECT_EQ(event.observe_from_unix_ms(), argentpoche::testing::kTestEpochMs);
  EXPECT_EQ(event.observe_until_unix_ms(), argentpoche::testing::kTestEpochMs + 7 * kDay);
  const std::vector<v1::StoredAttestation> stored =
      Attestations(std::string(kFeed), std::string(kEvent));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].attestation().value(), 28194);
  EXPECT_EQ(stored[0].attestation().scale(), 3u);
  EXPECT_EQ(stored[0].attestation().observed_at_unix_ms(), argentpoche::testing::kTestEpochMs);
  EXPECT_EQ(stored[0].attestation().oracle_party_id(), oracle_a_.id());
  EXPECT_EQ(stored[0].attestation().oracle_key_id(), oracle_a_.id());
}

TEST_F(OracleEngineEndToEndTest, ARestartedDaemonIsAnsweredAsTheFirstTime) {
  ASSERT_EQ(OnePass(oracle_a_)[0].status, EventStatus::kAttested);
  engine_.clock().Advance(kHour);
  // Same request ids: the engine answers with its first answers, and stores nothing new.
  const std::vector<EventProgress> again = OnePass(oracle_a_);
  EXPECT_EQ(again[0].status, EventStatus::kAttested) << again[0].detail;
  EXPECT_EQ(Attestations(std::string(kFeed), std::string(kEvent)).size(), 1u);
}

TEST_F(OracleEngineEndToEndTest, AnotherOracleAnnouncingTheSameEventGoesOnToAttest) {
  ASSERT_EQ(OnePass(oracle_a_)[0].status, EventStatus::kAttested);
  const std::vector<EventProgress> second = OnePass(oracle_b_);
  EXPECT_EQ(second[0].status, EventStatus::kAttested) << second[0].detail;
  EXPECT_EQ(GetEvent(std::string(kFeed), std::string(kEvent)).announced_by_party_id(),
            oracle_a_.id());
  // An oracle announcing it with another window is refused; it goes on to attest.
  options_.window_ms = 3 * kDay;
  const std::vector<EventProgress> third = OnePass(oracle_c_);
  EXPECT_EQ(third[0].status, EventStatus::kAttested) << third[0].detail;
  EXPECT_EQ(Attestations(std::string(kFeed), std::string(kEvent)).size(), 3u);
}

TEST_F(OracleEngineEndToEndTest, AKeyThatIsNotAnOraclesIsToldAndTriedAgainLater) {
  const std::vector<EventProgress> events = OnePass(stranger_);
  EXPECT_EQ(events[0].status, EventStatus::kRetrying);
  EXPECT_EQ(events[0].detail.rfind("NOT_AN_ORACLE: ", 0), 0u) << events[0].detail;
}

}  // namespace
}  // namespace argentpoche::oracles
