// Tests of atomic persistence: the file store round-trips and refuses damage; a crash
// before any step of a save leaves the old state or the new one on disk; and a crash in
// any save of either card during a payment, followed by a reset of both cards, leaves
// each card with its state from before or after that command (never a mix), with value
// conserved after reconciliation.
#include "engine/card/file_card_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/check.h"
#include "engine/clock.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

constexpr SaveStep kSteps[] = {SaveStep::kCreateTemp, SaveStep::kWriteTemp, SaveStep::kSyncTemp,
                               SaveStep::kRename, SaveStep::kSyncDirectory};

// A fresh directory under the test's temporary directory, removed when the test program
// ends.
std::string MakeTempDirectory() {
  struct Directories {
    ~Directories() {
      for (const std::string& directory : made) std::filesystem::remove_all(directory);
    }
    std::vector<std::string> made;
  };
  static Directories directories;
  std::string pattern = ::testing::TempDir() + "/poche-card-XXXXXX";
  POCHE_CHECK(::mkdtemp(pattern.data()) != nullptr);
  directories.made.push_back(pattern);
  return pattern;
}

TEST(FileCardStoreTest, RoundTripsAndRefusesDamage) {
  const std::string path = MakeTempDirectory() + "/card";
  FileCardStore store(path);
  EXPECT_EQ(ReasonOf(store.Load().status()), "NO_CARD_STATE");
  ASSERT_TRUE(store.Save("first state").ok());
  ASSERT_TRUE(store.Save("second state").ok());
  EXPECT_EQ(*store.Load(), "second state");
  { std::ofstream(path + ".tmp") << "leftover garbage"; }
  EXPECT_EQ(*store.Load(), "second state");
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(14);
    file.put('X');
  }
  EXPECT_EQ(ReasonOf(store.Load().status()), "CORRUPT_CARD_STATE");
}

TEST(FileCardStoreTest, CrashBeforeAnyStepLeavesOldOrNew) {
  for (SaveStep step : kSteps) {
    const std::string path = MakeTempDirectory() + "/card";
    FileCardStore store(path);
    ASSERT_TRUE(store.Save("old state").ok());
    store.set_crash_hook([step](SaveStep at) { return at == step; });
    EXPECT_EQ(ReasonOf(store.Save("new state")), "CARD_STORE_FAILED");
    FileCardStore reopened(path);
    EXPECT_EQ(*reopened.Load(), step == SaveStep::kSyncDirectory ? "new state" : "old state");
  }
}

// A transport that remembers its card's committed state after each exchange.
class SnapshotTransport final : public CardTransport {
 public:
  explicit SnapshotTransport(TestCard& card) : card_(card) { states_.push_back(card.state()); }
  absl::StatusOr<std::string> Transmit(std::string_view command) override {
    absl::StatusOr<std::string> response = card_.transport().Transmit(command);
    states_.push_back(card_.state());
    return response;
  }
  const std::vector<CardState>& states() const { return states_; }

 private:
  TestCard& card_;
  std::vector<CardState> states_;
};

struct Pair {
  explicit Pair(const std::string& directory) {
    auto alice_store = std::make_unique<FileCardStore>(directory + "/alice");
    auto bob_store = std::make_unique<FileCardStore>(directory + "/bob");
    stores[0] = alice_store.get();
    stores[1] = bob_store.get();
    alice = std::make_unique<TestCard>(issuer, clock, 1, TestCardOptions{}, std::move(alice_store));
    bob = std::make_unique<TestCard>(issuer, clock, 2, TestCardOptions{}, std::move(bob_store));
  }
  ManualClock clock{kTestNowMs};
  TestIssuer issuer;
  FileCardStore* stores[2];
  std::unique_ptr<TestCard> alice;
  std::unique_ptr<TestCard> bob;
};

TEST(CardCrashTest, CrashInAnySaveOfAPaymentLeavesOldOrNewAndConservesValue) {
  Pair reference(MakeTempDirectory());
  SnapshotTransport reference_payer(*reference.alice);
  SnapshotTransport reference_payee(*reference.bob);
  ASSERT_TRUE(PaymentSession(reference_payer, reference_payee).Run({"EUR", 9'99}).status.ok());
  int cases = 0;
  for (int card = 0; card < 2; ++card) {
    for (int save = 1; save <= 2; ++save) {  // each card saves twice in a payment
      for (SaveStep step : kSteps) {
        SCOPED_TRACE(Concat("card ", card, " save ", save, " step ", static_cast<int>(step)));
        Pair pair(MakeTempDirectory());
        int saves = 0;
        pair.stores[card]->set_crash_hook([&saves, save, step](SaveStep at) {
          if (at == SaveStep::kCreateTemp) ++saves;
          return saves == save && at == step;
        });
        SnapshotTransport payer(*pair.alice);
        SnapshotTransport payee(*pair.bob);
        const PaymentOutcome outcome = PaymentSession(payer, payee).Run({"EUR", 9'99});
        EXPECT_EQ(outcome.status_word, sw::kMemoryFailure);
        pair.alice->PowerCycle();
        pair.bob->PowerCycle();
        // The crashed exchange is the last one on that card's link.
        const SnapshotTransport& crashed = card == 0 ? payer : payee;
        const SnapshotTransport& clean = card == 0 ? reference_payer : reference_payee;
        const size_t exchange = crashed.states().size() - 1;
        const CardState& reloaded = card == 0 ? pair.alice->state() : pair.bob->state();
        EXPECT_TRUE(reloaded == clean.states()[exchange - 1] ||
                    reloaded == clean.states()[exchange]);
        EXPECT_EQ(reloaded == clean.states()[exchange], step == SaveStep::kSyncDirectory);
        Reconciler reconciler(pair.issuer.public_keys());
        SettleAndCheck(*pair.alice, *pair.bob, pair.issuer, reconciler, "EUR", 9'99, 100'00,
                       100'00);
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 20);
}

}  // namespace
}  // namespace argentpoche::card
