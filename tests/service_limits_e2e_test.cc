// The service's limits through the real server: per-caller rate limits (time from the
// manual clock, so deterministic), the caller's deadline at the writer, message and
// page sizes, and the refusal log (one JSON line per refusal, one per rate-limit streak).
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "engine/event_log.h"
#include "engine/journal.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {
namespace {

// Every log line written while it lives.
class CapturedLog {
 public:
  CapturedLog() {
    SetLogSinkForTesting([this](std::string_view line) {
      absl::MutexLock lock(&mutex_);
      lines_.emplace_back(line);
    });
  }
  ~CapturedLog() { SetLogSinkForTesting(nullptr); }
  // Lines containing `text`.
  std::vector<std::string> With(const std::string& text) {
    absl::MutexLock lock(&mutex_);
    std::vector<std::string> found;
    for (const std::string& line : lines_) {
      if (line.find(text) != std::string::npos) found.push_back(line);
    }
    return found;
  }

 private:
  absl::Mutex mutex_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mutex_);
};

EngineOptions RateLimited(int64_t per_second, int64_t burst) {
  EngineOptions options;
  options.rate_limit.per_second = per_second;
  options.rate_limit.burst = burst;
  return options;
}

grpc::Status ReadInfo(TestEngine& engine) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::EngineInfo info;
  return engine.stub().GetEngineInfo(&context, v1::GetEngineInfoRequest(), &info);
}

grpc::Status Register(TestEngine& engine, const TestParty& party) {
  v1::Command command;
  command.mutable_register_party()->set_public_key(party.key.public_key());
  v1::Party registered;
  return engine.Call(&v1::EscrowEngine::Stub::RegisterParty, party, "register", command,
                     &registered);
}

grpc::Status OpenAccount(TestEngine& engine, const TestParty& party, const std::string& currency) {
  v1::Command command;
  command.mutable_open_account()->set_currency(currency);
  v1::Account account;
  return engine.Call(&v1::EscrowEngine::Stub::OpenAccount, party, "open-" + currency, command,
                     &account);
}

// The retry delay in the RetryInfo detail, in ms (-1 when absent).
int64_t RetryDelayMs(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return -1;
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::RetryInfo retry;
    if (detail.UnpackTo(&retry)) {
      return retry.retry_delay().seconds() * 1000 + retry.retry_delay().nanos() / 1'000'000;
    }
  }
  return -1;
}

uint64_t JournalRecords(TestEngine& engine) { return VerifyJournal(engine.store()).value_or(0); }

TEST(RateLimitTest, ReadsAndRegistrationsAreChargedToThePeerAndRefusedWithTheTimeToWait) {
  CapturedLog log;
  TestEngine engine(RateLimited(2, 3));
  const TestParty tenant(1);
  ASSERT_TRUE(Register(engine, tenant).ok());  // the peer's first request
  ASSERT_TRUE(ReadInfo(engine).ok());
  ASSERT_TRUE(ReadInfo(engine).ok());
  for (int refused = 0; refused < 3; ++refused) {
    const grpc::Status status = ReadInfo(engine);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_EQ(ReasonOf(status), "RATE_LIMITED");
    EXPECT_NE(status.error_message().find("retry in 500 ms"), std::string::npos)
        << status.error_message();
    EXPECT_EQ(RetryDelayMs(status), 500);
  }
  // A new key costs nothing to make: its registration is the peer's too.
  EXPECT_EQ(ReasonOf(Register(engine, TestParty(2))), "RATE_LIMITED");
  EXPECT_EQ(log.With("RATE_LIMITED").size(), 1u);  // one line per streak

  engine.clock().Advance(499);
  EXPECT_EQ(ReasonOf(ReadInfo(engine)), "RATE_LIMITED");
  engine.clock().Advance(1);
  EXPECT_TRUE(ReadInfo(engine).ok());
}

TEST(RateLimitTest, EachPartysCommandsHaveTheirOwnBucketAndARefusalChangesNothing) {
  TestEngine engine(RateLimited(1, 3));
  const TestParty tenant(1);
  const TestParty landlord(2);
  ASSERT_TRUE(Register(engine, tenant).ok());
  ASSERT_TRUE(Register(engine, landlord).ok());
  ASSERT_TRUE(OpenAccount(engine, tenant, "EUR").ok());
  ASSERT_TRUE(OpenAccount(engine, tenant, "USD").ok());
  ASSERT_TRUE(OpenAccount(engine, tenant, "JPY").ok());
  const uint64_t before = JournalRecords(engine);
  const grpc::Status refused = OpenAccount(engine, tenant, "CHF");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ReasonOf(refused), "RATE_LIMITED");
  EXPECT_NE(refused.error_message().find("party " + tenant.id()), std::string::npos);
  EXPECT_EQ(JournalRecords(engine), before);
  // The landlord is not slowed down by the tenant.
  EXPECT_TRUE(OpenAccount(engine, landlord, "EUR").ok());
  engine.clock().Advance(1000);
  EXPECT_TRUE(OpenAccount(engine, tenant, "CHF").ok());
}

TEST(RateLimitTest, ZeroTurnsItOff) {
  TestEngine engine(RateLimited(0, 0));
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(ReadInfo(engine).ok()) << i;
}

TEST(RateLimitTest, OptionsOutOfRangeStopTheEngineFromStarting) {
  TempDir dir;
  ManualClock clock(kTestEpochMs);
  ServerOptions options;
  options.data_dir = dir.path();
  options.engine.rate_limit.per_second = 10;
  options.engine.rate_limit.burst = 0;
  EXPECT_EQ(argentpoche::ReasonOf(EngineServer::Start(options, &clock).status()), "BAD_RATE_LIMIT");
}

// Sends `request` to CreditAccount without waiting; `finished` is notified with the status.
void CreditAsync(TestEngine& engine, grpc::ClientContext* context, const v1::SignedCommand* request,
                 v1::Transfer* transfer, grpc::Status* status, absl::Notification* finished) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  engine.stub().async()->CreditAccount(context, request, transfer, [=](grpc::Status answer) {
    *status = std::move(answer);
    finished->Notify();
  });
}

// Waits (real time, up to 10 s) until the writer has `count` commands waiting.
void AwaitQueued(Engine& engine, size_t count) {
  for (int i = 0; i < 1000 && engine.queued_commands() < count; ++i)
    absl::SleepFor(absl::Milliseconds(10));
  ASSERT_EQ(engine.queued_commands(), count);
}

TEST(CallDeadlineTest, ACommandWhoseCallerStoppedWaitingIsNotAppliedAndItsRetryIs) {
  CapturedLog log;
  TestEngine engine;
  const TestParty tenant(1);
  engine.Enroll(tenant, "tenant", {"EUR"});
  v1::Command command;
  command.set_request_id("wire-late");
  command.mutable_credit_account()->set_account_id(tenant.account("EUR"));
  command.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  command.mutable_credit_account()->mutable_amount()->set_minor_units(100);
  const v1::SignedCommand request =
      SignCommand(command, engine.operator_party().key, engine.clock().NowUnixMs());
  const uint64_t before = JournalRecords(engine);

  Engine& core = engine.server().engine();
  core.HoldWriterForTesting(true);
  grpc::ClientContext context;
  v1::Transfer transfer;
  grpc::Status status;
  absl::Notification finished;
  CreditAsync(engine, &context, &request, &transfer, &status, &finished);
  AwaitQueued(core, 1);
  engine.clock().Advance(11'000);  // the call had 10 s: by engine time it is over
  core.HoldWriterForTesting(false);
  finished.WaitForNotification();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_EQ(ReasonOf(status), "CALL_DEADLINE_EXCEEDED");
  EXPECT_EQ(engine.Balance(tenant.account("EUR")), 0);
  EXPECT_EQ(JournalRecords(engine), before);
  EXPECT_EQ(log.With("CALL_DEADLINE_EXCEEDED").size(), 1u);

  // The retry with the same request_id, signed again, applies it once.
  ASSERT_TRUE(engine.Credit(tenant.account("EUR"), "EUR", 100, "wire-late").ok());
  ASSERT_TRUE(engine.Credit(tenant.account("EUR"), "EUR", 100, "wire-late").ok());
  EXPECT_EQ(engine.Balance(tenant.account("EUR")), 100);
}

TEST(CallDeadlineTest, ACommandReachedWithinItsDeadlineIsApplied) {
  TestEngine engine;
  const TestParty tenant(1);
  engine.Enroll(tenant, "tenant", {"EUR"});
  v1::Command command;
  command.set_request_id("wire-in-time");
  command.mutable_credit_account()->set_account_id(tenant.account("EUR"));
  command.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  command.mutable_credit_account()->mutable_amount()->set_minor_units(100);
  const v1::SignedCommand request =
      SignCommand(command, engine.operator_party().key, engine.clock().NowUnixMs());
  Engine& core = engine.server().engine();
  core.HoldWriterForTesting(true);
  grpc::ClientContext context;
  v1::Transfer transfer;
  grpc::Status status;
  absl::Notification finished;
  CreditAsync(engine, &context, &request, &transfer, &status, &finished);
  AwaitQueued(core, 1);
  engine.clock().Advance(5'000);
  core.HoldWriterForTesting(false);
  finished.WaitForNotification();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(engine.Balance(tenant.account("EUR")), 100);
}

TEST(MessageLimitTest, AMessageOverTheLimitAndAPageOverTheLimitAreRefusedClearly) {
  TestEngine engine;
  v1::SignedCommand huge;
  huge.mutable_envelope()->set_body(std::string(limits::kMaxMessageBytes + 1024, 'x'));
  v1::Transfer transfer;
  grpc::Status status = engine.Send(&v1::EscrowEngine::Stub::CreditAccount, huge, &transfer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  v1::SignedCommand large;
  large.mutable_envelope()->set_body(std::string(limits::kMaxCommandBytes + 1, 'x'));
  status = engine.Send(&v1::EscrowEngine::Stub::CreditAccount, large, &transfer);
  EXPECT_EQ(ReasonOf(status), "TOO_LARGE");

  grpc::ClientContext context;
  v1::ListJournalRecordsRequest request;
  request.set_page_size(limits::kMaxPageSize + 1);
  v1::ListJournalRecordsResponse response;
  status = engine.stub().ListJournalRecords(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReasonOf(status), "BAD_PAGE_SIZE");
  EXPECT_NE(status.error_message().find("1000"), std::string::npos);
}

TEST(RefusalLogTest, EachRefusalIsOneLineWithCodeReasonAndCallerButNoKeys) {
  CapturedLog log;
  TestEngine engine;
  const TestParty tenant(1);
  engine.Enroll(tenant, "tenant", {"EUR"});
  v1::Command command;
  command.mutable_credit_account()->set_account_id(tenant.account("EUR"));
  command.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  command.mutable_credit_account()->mutable_amount()->set_minor_units(100);
  v1::Transfer transfer;
  ASSERT_EQ(ReasonOf(engine.Call(&v1::EscrowEngine::Stub::CreditAccount, tenant, "self-credit",
                                 command, &transfer)),
            "NOT_OPERATOR");
  const std::vector<std::string> lines = log.With("\"request_refused\"");
  ASSERT_EQ(lines.size(), 1u);
  for (const std::string field : {"\"code\":\"PERMISSION_DENIED\"", "\"reason\":\"NOT_OPERATOR\"",
                                  "\"method\":\"creditAccount\"", "\"request_id\":\"self-credit\"",
                                  "\"peer\":\"address:127.0.0.1\""}) {
    EXPECT_NE(lines[0].find(field), std::string::npos) << field << " in " << lines[0];
  }
  EXPECT_NE(lines[0].find("\"caller\":\"" + tenant.id() + "\""), std::string::npos);
  for (const std::string& secret : {Hex(tenant.key.Seed()), Hex(tenant.key.public_key())}) {
    EXPECT_EQ(lines[0].find(secret.substr(0, 16)), std::string::npos);
  }
}

}  // namespace
}  // namespace argentpoche::testing
