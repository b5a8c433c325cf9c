// A randomised run (seeded, so every run is the same): 20 cards of three currencies make
// thousands of payments among themselves; one in four payments has its link spoiled
// somewhere (dropped, duplicated or corrupted frame), some cards are reset mid-way, cards
// sync at random and whenever one reaches its offline limits. At the end every card
// syncs: nothing is left undecided, and per currency the cards' balances plus the refunds
// equal what was loaded.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/reconciler.h"
#include "engine/clock.h"

namespace argentpoche::card {
namespace {

constexpr int kCards = 20;
constexpr int kPayments = 3000;

TEST(RandomPaymentsTest, ValueIsConservedThroughCutsResetsAndSyncs) {
  std::mt19937_64 random(20250615);
  auto chance = [&random](double probability) {
    return std::uniform_real_distribution<double>(0, 1)(random) < probability;
  };
  auto pick = [&random](int count) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, count - 1)(random));
  };
  ManualClock clock(kTestNowMs);
  TestIssuer issuer;
  std::vector<std::unique_ptr<TestCard>> cards;
  std::map<std::string, int64_t> loaded;
  for (int number = 0; number < kCards; ++number) {
    TestCardOptions options;
    options.purses = {{"EUR", 50'00 + pick(450'00), 2'000'00}};
    if (number % 3 == 0) options.purses.push_back({"JPY", pick(50'000), 500'000});
    if (number % 4 == 0) options.purses.push_back({"USD", pick(300'00), 2'000'00});
    options.max_offline_payments = 25;
    for (const Purse& purse : options.purses) loaded[purse.currency] += purse.balance;
    cards.push_back(std::make_unique<TestCard>(issuer, clock, number + 1, options));
  }
  Reconciler reconciler(issuer.public_keys());
  std::vector<Refund> refunds;
  int completed = 0;
  int spoiled = 0;

  for (int payment = 0; payment < kPayments; ++payment) {
    TestCard& payer = *cards[pick(kCards)];
    TestCard* payee_pointer = &payer;
    while (payee_pointer == &payer) payee_pointer = cards[pick(kCards)].get();
    TestCard& payee = *payee_pointer;
    const Purse& purse = payer.state().purses[pick(payer.state().purses.size())];
    // Mostly affordable amounts; sometimes more than the payer holds.
    const int64_t amount = 1 + pick(static_cast<int>(std::min<int64_t>(
                                   purse.balance / (chance(0.1) ? 1 : 4) + 1, 1'000'000)));
    FaultyTransport payer_link(payer.transport());
    FaultyTransport payee_link(payee.transport());
    if (chance(0.25)) {
      ++spoiled;
      const bool on_payer = chance(0.5);
      const LinkFault kinds[] = {LinkFault::kDropCommand, LinkFault::kDropResponse,
                                 LinkFault::kDuplicateCommand, LinkFault::kFlipCommandByte,
                                 LinkFault::kFlipResponseByte};
      (on_payer ? payer_link : payee_link)
          .Arm(pick(on_payer ? 3 : 2), kinds[pick(5)], pick(260),
               static_cast<uint8_t>(1 << pick(8)));
    }
    const PaymentOutcome outcome =
        PaymentSession(payer_link, payee_link).Run({purse.currency, amount});
    if (outcome.status.ok()) ++completed;
    if (chance(0.05)) payer.PowerCycle();
    if (chance(0.05)) payee.PowerCycle();
    const bool payer_full =
        outcome.status_word == sw::kOfflineLimit || outcome.status_word == sw::kLogFull;
    if (payer_full || chance(0.03)) SyncCard(payer, issuer, reconciler, refunds);
    if (payer_full || chance(0.03)) SyncCard(payee, issuer, reconciler, refunds);
  }
  for (const auto& card : cards) SyncCard(*card, issuer, reconciler, refunds);

  EXPECT_TRUE(reconciler.Undecided().empty());
  std::map<std::string, int64_t> held;
  for (const auto& card : cards) {
    EXPECT_TRUE(card->state().log.empty());
    for (const Purse& purse : card->state().purses) held[purse.currency] += purse.balance;
  }
  for (const Refund& refund : refunds) held[refund.currency] += refund.amount;
  EXPECT_EQ(held, loaded);
  EXPECT_GT(completed, kPayments / 2);
  EXPECT_GT(refunds.size(), 10u);
  RecordProperty("completed", completed);
  RecordProperty("spoiled", spoiled);
  RecordProperty("refunds", static_cast<int>(refunds.size()));
  std::printf("%d payments: %d completed, %d spoiled, %zu refunds, %zu settled with nothing due\n",
              kPayments, completed, spoiled, refunds.size(), reconciler.settled_count());
}

}  // namespace
}  // namespace argentpoche::card
