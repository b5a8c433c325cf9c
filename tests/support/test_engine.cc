#include "tests/support/test_engine.h"

#include <stdlib.h>

#include <filesystem>

#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/journal.h"
#include "engine/strings.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace argentpoche::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "poche-test-XXXXXX").string();
  POCHE_CHECK(mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

TestParty::TestParty(uint8_t seed_byte)
    : key(*SigningKey::FromSeed(std::string(kSeedBytes, static_cast<char>(seed_byte)))) {}

TestEngine::TestEngine(EngineOptions options, int64_t clock_start_unix_ms)
    : clock_(clock_start_unix_ms), options_(std::move(options)) {
  options_.operator_public_keys.push_back(operator_.key.public_key());
  // Tests fire deadlines themselves, in step with the manual clock.
  options_.scheduler_poll_ms = 0;
  StartServer();
}

TestEngine::~TestEngine() { Stop(); }

void TestEngine::StartServer() {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = dir_.path();
  options.engine = options_;
  absl::StatusOr<std::unique_ptr<EngineServer>> server = EngineServer::Start(options, &clock_);
  POCHE_CHECK(server.ok());
  server_ = *std::move(server);
  channel_ = grpc::CreateChannel(Concat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  stub_ = v1::EscrowEngine::NewStub(channel_);
}

void TestEngine::Stop() {
  stub_.reset();
  channel_.reset();
  server_.reset();
}

void TestEngine::Restart() {
  Stop();
  StartServer();
}

void TestEngine::Enroll(const TestParty& party, const std::string& name,
                        const std::vector<std::string>& currencies) {
  v1::Command command;
  command.mutable_register_party()->set_public_key(party.key.public_key());
  command.mutable_register_party()->set_display_name(name);
  v1::Party registered;
  grpc::Status status = Call(&v1::EscrowEngine::Stub::RegisterParty, party,
                             Concat("register-", name), command, &registered);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const std::string& currency : currencies) {
    v1::Command open;
    open.mutable_open_account()->set_currency(currency);
    v1::Account account;
    status = Call(&v1::EscrowEngine::Stub::OpenAccount, party, Concat("open-", currency), open,
                  &account);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
}

grpc::Status TestEngine::Credit(const std::string& account_id, const std::string& currency,
                                int64_t minor_units, const std::string& request_id) {
  v1::Command command;
  command.mutable_credit_account()->set_account_id(account_id);
  command.mutable_credit_account()->mutable_amount()->set_currency(currency);
  command.mutable_credit_account()->mutable_amount()->set_minor_units(minor_units);
  command.mutable_credit_account()->set_reference("bank transfer");
  v1::Transfer transfer;
  return Call(&v1::EscrowEngine::Stub::CreditAccount, operator_, request_id, command, &transfer);
}

int64_t TestEngine::Balance(const std::string& account_id) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetAccountRequest request;
  request.set_account_id(account_id);
  v1::Account account;
  grpc::Status status = stub_->GetAccount(&context, request, &account);
  EXPECT_TRUE(status.ok()) << account_id << ": " << status.error_message();
  return account.balance().minor_units();
}

size_t TestEngine::AdvanceAndFire(int64_t delta_ms) {
  clock_.Advance(delta_ms);
  absl::StatusOr<size_t> fired = server_->engine().FireDueDeadlines();
  EXPECT_TRUE(fired.ok()) << fired.status();
  return fired.value_or(0);
}

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) return info.reason();
  }
  return "";
}

v1::SettlementReceipt TestEngine::VerifiedReceipt(const v1::Contract& contract) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::EngineInfo info;
  EXPECT_TRUE(stub_->GetEngineInfo(&context, v1::GetEngineInfoRequest(), &info).ok());
  absl::StatusOr<std::string> payload =
      OpenEnvelope(contract.receipt(), domain::kReceipt, info.receipt_public_key());
  EXPECT_TRUE(payload.ok()) << payload.status();
  v1::SettlementReceipt receipt;
  EXPECT_TRUE(payload.ok() && receipt.ParseFromString(*payload));
  EXPECT_EQ(receipt.contract_id(), contract.id());
  EXPECT_EQ(receipt.terms_hash(), contract.terms_hash());
  return receipt;
}

uint64_t TestEngine::VerifiedJournalRecords() {
  absl::StatusOr<uint64_t> records = VerifyJournal(store());
  EXPECT_TRUE(records.ok()) << records.status();
  return records.value_or(0);
}

}  // namespace argentpoche::testing
