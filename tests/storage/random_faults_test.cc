// A seeded random run of the engine over RocksDB with about one write in ten failing
// (half before anything is applied, half as a failed sync after the batch reached the
// disk): credits, holds, releases, voids and funded deposits. A command answered
// COMMIT_FAILED is parked and retried blindly later, with the same request_id, while
// other commands go on, and now and then the engine restarts on the same directory in
// between; deposits retry each step at once. Half the acknowledged commands are also
// sent once more. After a final reopen, on what is on disk: every currency sums to
// zero, the journal chain verifies and holds exactly one record per acknowledged
// command, every acknowledged command's stored answer is the one it was given (and a
// retry gives it again), and every balance is what the acknowledged commands, each
// applied once, make it.
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/command_signing.h"
#include "gtest/gtest.h"
#include "tests/storage/disk_engine.h"

namespace argentpoche::storage_testing {
namespace {

constexpr int kParties = 4;
constexpr int kOperations = 250;
// Attempts per command, and final rounds of parked retries: with one write in ten
// failing, never used up in practice.
constexpr int kMaxAttempts = 40;
constexpr int64_t kHourMs = 3600 * 1000;

struct OpenHold {
  std::string id;
  int payer = 0;
  int beneficiary = 0;
  int64_t amount = 0;
};

// What the model does once a command is acknowledged.
using OnApplied = std::function<void(const v1::CommandResult&)>;

class RandomFaultsTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  void SetUp() override {
    for (int i = 0; i < kParties; ++i) {
      parties_.push_back(TestKey(static_cast<uint8_t>(0x10 + i)));
      disk_.Enroll(parties_.back(), "party " + std::to_string(i));
    }
    base_records_ = disk_.JournalRecords();
  }

  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(random_() % static_cast<uint64_t>(high - low + 1));
  }
  int OtherThan(int party) { return (party + 1 + static_cast<int>(random_() % 3)) % kParties; }
  int64_t& BalanceOf(int party) { return balances_[AccountOf(parties_[party])]; }
  std::string NextRequestId() { return "random-" + std::to_string(++requests_); }

  // Faults for the FaultyStore of the current opening, from a seed derived from the
  // test's seed and the opening, so the whole run is fixed by the test's seed.
  void ArmFaults() {
    disk_.faults().FailRandomly(GetParam() * 1000 + openings_, 50000, 50000,
                                absl::UnavailableError("injected"));
  }
  void Restart() {
    AddFaultCounters();
    disk_.Reopen();
    ++openings_;
    ArmFaults();
  }
  void AddFaultCounters() {
    failed_writes_ += disk_.faults().counters().failed_writes;
    failed_syncs_ += disk_.faults().counters().failed_syncs;
  }

  // One attempt at `request`: parked when answered COMMIT_FAILED (if `park`), else
  // acknowledged (the test fails on any other refusal). Returns the answer.
  absl::StatusOr<v1::CommandResult> Attempt(const Request& request, const OnApplied& on_applied,
                                            bool park) {
    absl::StatusOr<v1::CommandResult> answer = disk_.Execute(request);
    if (IsCommitFailed(answer.status())) {
      ++commit_failures_;
      if (park) parked_.push_back({request, on_applied});
      return answer;
    }
    EXPECT_TRUE(answer.ok()) << request.request_id << ": " << answer.status();
    if (!answer.ok()) return answer;
    acknowledged_.push_back({request, answer->SerializeAsString()});
    on_applied(*answer);
    if (random_() % 2 == 0) {
      absl::StatusOr<v1::CommandResult> again;
      do {
        again = disk_.Execute(request);
      } while (IsCommitFailed(again.status()));
      EXPECT_TRUE(again.ok() && again->SerializeAsString() == answer->SerializeAsString())
          << request.request_id << ": a blind retry was answered " << again.status();
    }
    return answer;
  }
  // Sends `request` once; a COMMIT_FAILED one is retried later by RetryParked.
  void Send(const Request& request, OnApplied on_applied) {
    (void)Attempt(request, on_applied, /*park=*/true);
  }
  // Sends `request` until it is answered with something other than COMMIT_FAILED.
  absl::StatusOr<v1::CommandResult> SendNow(const Request& request) {
    absl::StatusOr<v1::CommandResult> answer;
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
      answer = Attempt(
          request, [](const v1::CommandResult&) {}, /*park=*/false);
      if (!IsCommitFailed(answer.status())) break;
    }
    return answer;
  }
  // Retries one parked command, chosen at random.
  void RetryParked() {
    const size_t index = random_() % parked_.size();
    const Parked parked = parked_[index];
    parked_.erase(parked_.begin() + static_cast<std::ptrdiff_t>(index));
    Send(parked.request, parked.on_applied);
  }

  void Credit() {
    const int party = static_cast<int>(random_() % kParties);
    const int64_t amount = Between(1, 100000);
    Send(disk_.Credit(parties_[party], amount, NextRequestId()),
         [this, party, amount](const v1::CommandResult&) { BalanceOf(party) += amount; });
  }
  void Lock();
  void Release();
  void Void();
  void Deposit();

  DiskEngine disk_;
  std::vector<SigningKey> parties_;
  std::mt19937_64 random_{GetParam()};
  // Party balances once every acknowledged and parked command has applied: money a
  // parked lock or funding takes is taken at once, so nothing spends it twice.
  std::map<std::string, int64_t> balances_;
  // Holds locked and not yet resolved nor being resolved by a parked command.
  std::vector<OpenHold> holds_;
  struct Parked {
    Request request;
    OnApplied on_applied;
  };
  std::vector<Parked> parked_;
  struct Acknowledged {
    Request request;
    std::string answer;
  };
  std::vector<Acknowledged> acknowledged_;
  uint64_t base_records_ = 0;
  int requests_ = 0;
  int openings_ = 0;
  uint64_t commit_failures_ = 0;
  uint64_t failed_writes_ = 0;
  uint64_t failed_syncs_ = 0;
};

void RandomFaultsTest::Lock() {
  const int payer = static_cast<int>(random_() % kParties);
  if (BalanceOf(payer) == 0) return Credit();
  const int beneficiary = OtherThan(payer);
  const int64_t amount = Between(1, BalanceOf(payer));
  v1::Command command;
  v1::CreateHold* action = command.mutable_create_hold();
  action->set_payer_account_id(AccountOf(parties_[payer]));
  action->set_beneficiary_account_id(AccountOf(parties_[beneficiary]));
  action->mutable_amount()->set_currency("EUR");
  action->mutable_amount()->set_minor_units(amount);
  action->set_expires_at_unix_ms(disk_.clock().NowUnixMs() + kHourMs);
  BalanceOf(payer) -= amount;
  Send(disk_.Sign(command, NextRequestId(), parties_[payer]),
       [this, payer, beneficiary, amount](const v1::CommandResult& result) {
         OpenHold hold;
         hold.id = result.hold().id();
         hold.payer = payer;
         hold.beneficiary = beneficiary;
         hold.amount = amount;
         holds_.push_back(hold);
       });
}

void RandomFaultsTest::Release() {
  if (holds_.empty()) return Lock();
  const size_t index = random_() % holds_.size();
  const OpenHold hold = holds_[index];
  holds_.erase(holds_.begin() + static_cast<std::ptrdiff_t>(index));
  const int64_t paid = random_() % 2 ? hold.amount : Between(1, hold.amount);
  v1::Command command;
  command.mutable_release_hold()->set_hold_id(hold.id);
  command.mutable_release_hold()->mutable_amount()->set_currency("EUR");
  command.mutable_release_hold()->mutable_amount()->set_minor_units(paid);
  Send(disk_.Sign(command, NextRequestId(), parties_[hold.payer]),
       [this, hold, paid](const v1::CommandResult&) {
         BalanceOf(hold.beneficiary) += paid;
         BalanceOf(hold.payer) += hold.amount - paid;
       });
}

void RandomFaultsTest::Void() {
  if (holds_.empty()) return Lock();
  const size_t index = random_() % holds_.size();
  const OpenHold hold = holds_[index];
  holds_.erase(holds_.begin() + static_cast<std::ptrdiff_t>(index));
  v1::Command command;
  command.mutable_void_hold()->set_hold_id(hold.id);
  Send(disk_.Sign(command, NextRequestId(), parties_[hold.beneficiary]),
       [this, hold](const v1::CommandResult&) { BalanceOf(hold.payer) += hold.amount; });
}

// Created by the landlord, signed by the three parties, funded by the tenant; each
// step is retried at once, since the next one needs it.
void RandomFaultsTest::Deposit() {
  const int tenant = static_cast<int>(random_() % kParties);
  if (BalanceOf(tenant) == 0) return Credit();
  const int landlord = OtherThan(tenant);
  int arbiter = OtherThan(tenant);
  while (arbiter == landlord) arbiter = OtherThan(tenant);
  const int64_t amount = Between(1, BalanceOf(tenant));
  v1::ContractTerms terms;
  v1::DepositTerms* deposit = terms.mutable_deposit();
  deposit->set_tenant_party_id(parties_[tenant].key_id());
  deposit->set_landlord_party_id(parties_[landlord].key_id());
  deposit->set_arbiter_party_id(parties_[arbiter].key_id());
  deposit->mutable_amount()->set_currency("EUR");
  deposit->mutable_amount()->set_minor_units(amount);
  deposit->set_fund_by_unix_ms(disk_.clock().NowUnixMs() + kHourMs);
  deposit->set_return_by_unix_ms(deposit->fund_by_unix_ms() + 30 * 24 * kHourMs);
  deposit->set_contest_window_ms(7 * 24 * kHourMs);
  deposit->set_description("random lease");
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  const absl::StatusOr<v1::CommandResult> created =
      SendNow(disk_.Sign(command, NextRequestId(), parties_[landlord]));
  if (!created.ok()) return;
  const v1::Contract& contract = created->contract();
  for (const int party : {tenant, landlord, arbiter}) {
    command.Clear();
    command.mutable_sign_contract()->set_contract_id(contract.id());
    command.mutable_sign_contract()->set_signature(
        SignContractTerms(contract.terms_hash(), parties_[party]));
    if (!SendNow(disk_.Sign(command, NextRequestId(), parties_[party])).ok()) return;
  }
  command.Clear();
  command.mutable_fund_contract()->set_contract_id(contract.id());
  command.mutable_fund_contract()->set_account_id(AccountOf(parties_[tenant]));
  if (SendNow(disk_.Sign(command, NextRequestId(), parties_[tenant])).ok()) {
    BalanceOf(tenant) -= amount;
  }
}

TEST_P(RandomFaultsTest, EveryAcknowledgedCommandIsAppliedExactlyOnce) {
  ArmFaults();
  for (int operation = 0; operation < kOperations && !HasFailure(); ++operation) {
    const uint64_t kind = random_() % 100;
    if (kind < 3) {
      Restart();
    } else if (kind < 25 && !parked_.empty()) {
      RetryParked();
    } else if (kind < 50) {
      Credit();
    } else if (kind < 70) {
      Lock();
    } else if (kind < 80) {
      Release();
    } else if (kind < 88) {
      Void();
    } else {
      Deposit();
    }
  }
  for (int round = 0; round < kMaxAttempts && !parked_.empty() && !HasFailure(); ++round) {
    RetryParked();
  }
  EXPECT_TRUE(parked_.empty());
  AddFaultCounters();
  EXPECT_GT(failed_writes_, 0u);
  EXPECT_GT(failed_syncs_, 0u);
  EXPECT_EQ(commit_failures_, failed_writes_ + failed_syncs_);
  RecordProperty("commands", static_cast<int>(acknowledged_.size()));
  RecordProperty("commit_failures", static_cast<int>(commit_failures_));
  RecordProperty("openings", openings_);

  disk_.Reopen();
  EXPECT_TRUE(CheckConservation(disk_.disk()).ok());
  EXPECT_EQ(disk_.JournalRecords(), base_records_ + acknowledged_.size());
  std::set<uint64_t> sequences;
  for (const Acknowledged& acknowledged : acknowledged_) {
    const Request& request = acknowledged.request;
    const std::optional<v1::IdempotencyRecord> stored =
        disk_.StoredRequest(request.caller, request.request_id);
    ASSERT_TRUE(stored.has_value()) << request.request_id;
    EXPECT_EQ(stored->result().SerializeAsString(), acknowledged.answer) << request.request_id;
    EXPECT_TRUE(sequences.insert(stored->journal_sequence()).second) << request.request_id;
    const absl::StatusOr<v1::CommandResult> retried = disk_.Execute(request);
    ASSERT_TRUE(retried.ok()) << request.request_id << ": " << retried.status();
    EXPECT_EQ(retried->SerializeAsString(), acknowledged.answer) << request.request_id;
  }
  for (const auto& [account, balance] : balances_) {
    EXPECT_EQ(disk_.StoredBalance(account), balance) << account;
  }
  EXPECT_EQ(disk_.JournalRecords(), base_records_ + acknowledged_.size());
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomFaultsTest, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace argentpoche::storage_testing
