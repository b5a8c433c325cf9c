#include "tests/storage/disk_engine.h"

#include <stdlib.h>

#include <filesystem>
#include <utility>

#include "argentpoche/v1/ledger.pb.h"
#include "engine/check.h"
#include "engine/command_signing.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/status.h"
#include "gtest/gtest.h"

namespace argentpoche::storage_testing {
namespace {

std::string MakeTemporaryDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "poche-faults-XXXXXX").string();
  POCHE_CHECK(mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

}  // namespace

bool IsCommitFailed(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable && ReasonOf(status) == "COMMIT_FAILED";
}

SigningKey TestKey(uint8_t seed_byte) {
  absl::StatusOr<SigningKey> key =
      SigningKey::FromSeed(std::string(kSeedBytes, static_cast<char>(seed_byte)));
  POCHE_CHECK(key.ok());
  return *std::move(key);
}

std::string AccountOf(const SigningKey& key) { return keys::PartyAccountId(key.key_id(), "EUR"); }

DiskEngine::DiskEngine() : directory_(MakeTemporaryDirectory()), operator_key_(TestKey(0xee)) {
  Open();
}

DiskEngine::~DiskEngine() {
  Close();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void DiskEngine::Open() {
  POCHE_CHECK(engine_ == nullptr);
  absl::StatusOr<std::unique_ptr<RocksDbStore>> disk =
      RocksDbStore::Open(directory_ + "/db", RocksDbStoreOptions());
  POCHE_CHECK(disk.ok());
  disk_ = *std::move(disk);
  faulty_ = std::make_unique<FaultyStore>(disk_.get());
  EngineOptions options;
  options.operator_public_keys.push_back(operator_key_.public_key());
  options.scheduler_poll_ms = 0;  // tests fire deadlines themselves, if at all
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Open(faulty_.get(), &clock_, TestKey(0xdd), options);
  POCHE_CHECK(engine.ok());
  engine_ = *std::move(engine);
}

void DiskEngine::Close() {
  engine_.reset();
  faulty_.reset();
  disk_.reset();
}

void DiskEngine::Reopen() {
  Close();
  Open();
}

Request DiskEngine::Sign(v1::Command command, const std::string& request_id,
                         const SigningKey& key) const {
  command.set_request_id(request_id);
  Request request;
  request.action = command.action_case();
  request.caller = key.key_id();
  request.request_id = request_id;
  request.signed_command = SignCommand(std::move(command), key, clock_.NowUnixMs());
  return request;
}

absl::StatusOr<v1::CommandResult> DiskEngine::Execute(const Request& request) {
  return engine_->Execute(request.signed_command, request.action);
}

void DiskEngine::Enroll(const SigningKey& key, const std::string& name) {
  v1::Command command;
  command.mutable_register_party()->set_public_key(key.public_key());
  command.mutable_register_party()->set_display_name(name);
  absl::StatusOr<v1::CommandResult> registered = Execute(Sign(command, "register", key));
  ASSERT_TRUE(registered.ok()) << registered.status();
  command.Clear();
  command.mutable_open_account()->set_currency("EUR");
  absl::StatusOr<v1::CommandResult> opened = Execute(Sign(command, "open-EUR", key));
  ASSERT_TRUE(opened.ok()) << opened.status();
}

Request DiskEngine::Credit(const SigningKey& key, int64_t minor_units,
                           const std::string& request_id) const {
  v1::Command command;
  v1::CreditAccount* credit = command.mutable_credit_account();
  credit->set_account_id(AccountOf(key));
  credit->mutable_amount()->set_currency("EUR");
  credit->mutable_amount()->set_minor_units(minor_units);
  credit->set_reference("bank transfer");
  return Sign(command, request_id, operator_key_);
}

int64_t DiskEngine::StoredBalance(const std::string& account_id) const {
  absl::StatusOr<std::optional<std::string>> bytes = disk_->Get(Table::kAccounts, account_id);
  POCHE_CHECK(bytes.ok());
  if (!bytes->has_value()) return 0;
  v1::Account account;
  POCHE_CHECK(account.ParseFromString(**bytes));
  return account.balance().minor_units();
}

std::optional<v1::IdempotencyRecord> DiskEngine::StoredRequest(
    const std::string& caller, const std::string& request_id) const {
  absl::StatusOr<std::optional<std::string>> bytes =
      disk_->Get(Table::kRequests, keys::Request(caller, request_id));
  POCHE_CHECK(bytes.ok());
  if (!bytes->has_value()) return std::nullopt;
  v1::IdempotencyRecord record;
  POCHE_CHECK(record.ParseFromString(**bytes));
  return record;
}

uint64_t DiskEngine::JournalRecords() const {
  absl::StatusOr<uint64_t> records = VerifyJournal(*disk_);
  EXPECT_TRUE(records.ok()) << records.status();
  return records.value_or(0);
}

}  // namespace argentpoche::storage_testing
