// The daemon's passes against a fake engine: what it signs and sends, how it treats each
// answer (already announced, already attested, engine away, refused for good), waiting
// for data, and request ids that stay the same across a restart.
#include "oracles/daemon.h"

#include <deque>

#include "engine/envelope.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "gtest/gtest.h"
#include "oracles/attestation.h"
#include "oracles/test_files.h"
#include "oracles/weather_csv.h"

namespace argentpoche::oracles {
namespace {

using ::argentpoche::oracles::testing::TestDirectory;

// Checks every command's signature and keeps the commands; answers from queues (OK when
// a queue is empty).
class FakeEngine : public OracleEngine {
 public:
  explicit FakeEngine(const SigningKey& key) : public_key_(key.public_key()) {}

  absl::StatusOr<v1::OracleEvent> AnnounceEvent(const v1::SignedCommand& signed_command) override {
    announcements.push_back(Open(signed_command));
    if (!announce_answers.empty()) {
      const absl::Status answer = announce_answers.front();
      announce_answers.pop_front();
      if (!answer.ok()) return answer;
    }
    v1::OracleEvent event;
    event.set_feed(announcements.back().announce_event().feed());
    return event;
  }
  absl::StatusOr<v1::AttestationReceipt> SubmitAttestation(
      const v1::SignedCommand& signed_command) override {
    submissions.push_back(Open(signed_command));
    if (!submit_answers.empty()) {
      const absl::Status answer = submit_answers.front();
      submit_answers.pop_front();
      if (!answer.ok()) return answer;
    }
    return v1::AttestationReceipt();
  }

  // The attestation inside a submitted command, its envelope checked.
  v1::Attestation AttestationOf(const v1::Command& command) const {
    absl::StatusOr<std::string> payload =
        OpenEnvelope(command.submit_attestation().attestation(), domain::kAttestation, public_key_);
    EXPECT_TRUE(payload.ok()) << payload.status();
    v1::Attestation attestation;
    EXPECT_TRUE(attestation.ParseFromString(payload.value_or("")));
    return attestation;
  }

  std::vector<v1::Command> announcements;
  std::vector<v1::Command> submissions;
  std::deque<absl::Status> announce_answers;
  std::deque<absl::Status> submit_answers;

 private:
  v1::Command Open(const v1::SignedCommand& signed_command) const {
    absl::StatusOr<std::string> payload =
        OpenEnvelope(signed_command.envelope(), domain::kCommand, public_key_);
    EXPECT_TRUE(payload.ok()) << payload.status();
    v1::Command command;
    EXPECT_TRUE(command.ParseFromString(payload.value_or("")));
    return command;
  }

  std::string public_key_;
};

constexpr std::string_view kHeader = "date,actual_min_temp,actual_max_temp,actual_precipitation\n";
// 2021-01-01..03: 0.96 + 0 + 0.05 = 1.01 in = 25.654 mm.
constexpr std::string_view kThreeDays =
    "2021-1-1,30,41,0.96\n2021-1-2,50,71,0\n2021-1-3,60,85,0.05\n";
// 2021-01-04 00:00 UTC: the moment the period is observed (`date -u -d 2021-01-04 +%s`).
constexpr int64_t kObservedAt = 1609718400000;

class DaemonTest : public ::testing::Test {
 protected:
  DaemonTest() : engine_(key_) {
    Write(Concat(kHeader, kThreeDays));
    options_.events.push_back(ParseEventSpec("weather/t/S/rain_mm@2021-01-01..2021-01-03").value());
  }
  void Write(const std::string& csv) { path_ = directory_.Write("w.csv", csv); }
  OracleDaemon MakeDaemon() {
    return OracleDaemon(options_, DaemonPorts{.key = &key_,
                                              .engine = &engine_,
                                              .weather = &weather_,
                                              .prices = nullptr,
                                              .clock = &clock_});
  }
  EventStatus StatusAfterOnePass() {
    OracleDaemon daemon = MakeDaemon();
    daemon.RunPass();
    return daemon.events()[0].status;
  }

  TestDirectory directory_;
  std::string path_;
  SigningKey key_ = SigningKey::Generate();
  FakeEngine engine_;
  CsvWeatherSource weather_{directory_.path() + "/w.csv", WeatherCsvOptions{}};
  ManualClock clock_{kObservedAt + 3600000};
  DaemonOptions options_;
};

TEST_F(DaemonTest, AnnouncesThenSubmitsASealedAttestationOfTheExactValue) {
  OracleDaemon daemon = MakeDaemon();
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kAttested);
  EXPECT_TRUE(daemon.Finished());
  ASSERT_EQ(engine_.announcements.size(), 1u);
  const v1::Command& announce = engine_.announcements[0];
  EXPECT_EQ(announce.caller_party_id(), key_.key_id());
  EXPECT_EQ(announce.announce_event().feed(), "weather/t/S/rain_mm");
  EXPECT_EQ(announce.announce_event().event_id(), "2021-01-01..2021-01-03");
  EXPECT_EQ(announce.announce_event().expected_at_unix_ms(), kObservedAt);
  EXPECT_EQ(announce.announce_event().observe_from_unix_ms(), kObservedAt);
  EXPECT_EQ(announce.announce_event().observe_until_unix_ms(), kObservedAt + kDefaultWindowMs);
  ASSERT_EQ(engine_.submissions.size(), 1u);
  const v1::Attestation attestation = engine_.AttestationOf(engine_.submissions[0]);
  EXPECT_EQ(attestation.feed(), "weather/t/S/rain_mm");
  EXPECT_EQ(attestation.event_id(), "2021-01-01..2021-01-03");
  EXPECT_EQ(attestation.value(), 25654);
  EXPECT_EQ(attestation.scale(), 3u);
  EXPECT_EQ(attestation.observed_at_unix_ms(), kObservedAt);
  EXPECT_EQ(attestation.oracle_party_id(), key_.key_id());
  EXPECT_EQ(attestation.oracle_key_id(), key_.key_id());
  EXPECT_EQ(engine_.submissions[0].request_id(), AttestRequestId(attestation));
  // Nothing more to do: a second pass sends nothing.
  daemon.RunPass();
  EXPECT_EQ(engine_.submissions.size(), 1u);
}

TEST_F(DaemonTest, ARestartedDaemonSendsTheSameRequestIdsAndEnvelope) {
  StatusAfterOnePass();
  clock_.Advance(60000);  // Signed at another time: only issued_at differs.
  StatusAfterOnePass();
  ASSERT_EQ(engine_.submissions.size(), 2u);
  EXPECT_EQ(engine_.announcements[0].request_id(), engine_.announcements[1].request_id());
  EXPECT_EQ(engine_.submissions[0].request_id(), engine_.submissions[1].request_id());
  EXPECT_EQ(engine_.submissions[0].submit_attestation().SerializeAsString(),
            engine_.submissions[1].submit_attestation().SerializeAsString());
  EXPECT_NE(engine_.submissions[0].issued_at_unix_ms(), engine_.submissions[1].issued_at_unix_ms());
}

TEST_F(DaemonTest, AnEventAnnouncedByAnotherOracleOrTooLateStillGetsAttested) {
  for (const absl::Status& refusal :
       {AlreadyExists("EVENT_CONFLICT", "announced with another window"),
        FailedPrecondition("SOMETHING", "announced already"),
        InvalidArgument("DEADLINE_IN_PAST", "the observation window ended")}) {
    engine_.announce_answers.push_back(refusal);
    EXPECT_EQ(StatusAfterOnePass(), EventStatus::kAttested) << refusal;
  }
  EXPECT_EQ(engine_.submissions.size(), 3u);
}

TEST_F(DaemonTest, AReplayedAttestationCountsAsDone) {
  engine_.submit_answers.push_back(AlreadyExists("ATTESTATION_REPLAYED", "already attested"));
  EXPECT_EQ(StatusAfterOnePass(), EventStatus::kAttested);
}

TEST_F(DaemonTest, AnUnreachableEngineIsTriedAgainWithTheSameAttestation) {
  engine_.submit_answers.push_back(absl::UnavailableError("engine unreachable"));
  OracleDaemon daemon = MakeDaemon();
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kRetrying);
  EXPECT_FALSE(daemon.Finished());
  EXPECT_FALSE(daemon.AllAttestedOrWaiting());
  // The data changes meanwhile: the attestation whose outcome is unknown is sent again as
  // it was, never a second value for the same event.
  Write(Concat(kHeader, "2021-1-1,30,41,9.99\n2021-1-2,50,71,0\n2021-1-3,60,85,0.05\n"));
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kAttested);
  ASSERT_EQ(engine_.submissions.size(), 2u);
  EXPECT_EQ(engine_.submissions[0].request_id(), engine_.submissions[1].request_id());
  EXPECT_EQ(engine_.AttestationOf(engine_.submissions[1]).value(), 25654);
  EXPECT_EQ(engine_.announcements.size(), 1u);  // Announced once.
}

TEST_F(DaemonTest, ARefusalForGoodFailsTheEvent) {
  engine_.submit_answers.push_back(absl::UnimplementedError("no such method"));
  OracleDaemon daemon = MakeDaemon();
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kFailed);
  EXPECT_EQ(daemon.events()[0].detail, "UNIMPLEMENTED: no such method");
  EXPECT_TRUE(daemon.Finished());
  EXPECT_FALSE(daemon.AllAttestedOrWaiting());
  engine_.announce_answers.push_back(InvalidArgument("MALFORMED_FEED", "bad feed"));
  EXPECT_EQ(StatusAfterOnePass(), EventStatus::kFailed);
}

TEST_F(DaemonTest, WaitsForTheDataThenAttests) {
  Write(Concat(kHeader, "2021-1-1,30,41,0.96\n2021-1-2,50,71,0\n"));
  OracleDaemon daemon = MakeDaemon();
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kWaiting);
  EXPECT_TRUE(daemon.AllAttestedOrWaiting());
  EXPECT_TRUE(engine_.submissions.empty());
  EXPECT_EQ(engine_.announcements.size(), 1u);  // Announced before its data is there.
  Write(Concat(kHeader, kThreeDays));
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kAttested);
}

TEST_F(DaemonTest, AGapInDataThatCoversThePeriodIsUnavailable) {
  Write(Concat(kHeader, "2021-1-1,30,41,0.96\n2021-1-3,60,85,0.05\n"));
  OracleDaemon daemon = MakeDaemon();
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kUnavailable);
  EXPECT_NE(daemon.events()[0].detail.find("no observation for 2021-01-02"), std::string::npos);
  EXPECT_FALSE(daemon.AllAttestedOrWaiting());
  EXPECT_TRUE(engine_.submissions.empty());
}

TEST_F(DaemonTest, WaitsForTheObservationMomentAndReportsBadData) {
  clock_.Set(kObservedAt - 1);
  EXPECT_EQ(StatusAfterOnePass(), EventStatus::kWaiting);
  clock_.Set(kObservedAt);
  Write(Concat(kHeader, "2021-1-1,30,41,0.96\n2021-1-2,50,71,lots\n"));
  EXPECT_EQ(StatusAfterOnePass(), EventStatus::kDataError);
  EXPECT_TRUE(engine_.submissions.empty());
}

TEST_F(DaemonTest, ADryRunComputesWithoutAnEngineOrAKey) {
  options_.dry_run = true;
  options_.scale = 1;  // 25.654 mm -> 25.7 (rounded).
  OracleDaemon daemon(options_, DaemonPorts{.key = nullptr,
                                            .engine = nullptr,
                                            .weather = &weather_,
                                            .prices = nullptr,
                                            .clock = &clock_});
  daemon.RunPass();
  EXPECT_EQ(daemon.events()[0].status, EventStatus::kWouldAttest);
  EXPECT_EQ(ReportLine(daemon.events()[0]),
            "would_attest feed=weather/t/S/rain_mm event=2021-01-01..2021-01-03 value=257 "
            "scale=1 decimal=25.7 observed_at_unix_ms=1609718400000 "
            "observed_at=2021-01-04T00:00:00Z rounded=yes");
  EXPECT_TRUE(engine_.announcements.empty());
}

}  // namespace
}  // namespace argentpoche::oracles
