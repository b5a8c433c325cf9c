#include "engine/poker.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/crypto.h"
#include "engine/sampling.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::poker {
namespace {

std::vector<Card> Cards(std::string_view names) {
  absl::StatusOr<std::vector<Card>> cards = ParseCards(names);
  EXPECT_TRUE(cards.ok()) << cards.status();
  return cards.ok() ? *cards : std::vector<Card>();
}

HandValue Value(std::string_view names) { return Evaluate(Cards(names)); }

TEST(PokerCardsTest, NamesAndNumbersRoundTrip) {
  EXPECT_EQ(MakeCard(0, 0), 0);
  EXPECT_EQ(CardName(0), "2c");
  EXPECT_EQ(CardName(51), "As");
  EXPECT_EQ(CardName(MakeCard(8, 1)), "Td");
  for (Card card = 0; card < kDeckSize; ++card) EXPECT_EQ(*ParseCard(CardName(card)), card);
  EXPECT_EQ(*ParseCard("qh"), MakeCard(10, 2));
  EXPECT_EQ(CardNames(Cards("  As  Kd 2c ")), "As Kd 2c");
  for (std::string_view bad : {"", "A", "1s", "Ax", "As ", "10s", "AsK"}) {
    EXPECT_EQ(ReasonOf(ParseCard(bad).status()), "MALFORMED_CARD") << bad;
  }
  EXPECT_EQ(ReasonOf(ValidateCards(Cards("As Kd As"))), "DUPLICATE_CARD");
  EXPECT_EQ(ReasonOf(ValidateCards(std::vector<Card>{52})), "MALFORMED_CARD");
}

TEST(PokerCardsTest, ShuffledDeckIsAPermutationFixedByTheRandomness) {
  absl::StatusOr<Sampler> first = Sampler::FromRandomness(Sha256("deal 1"));
  absl::StatusOr<Sampler> again = Sampler::FromRandomness(Sha256("deal 1"));
  const std::array<Card, kDeckSize> deck = ShuffledDeck(*first);
  EXPECT_EQ(deck, ShuffledDeck(*again));
  EXPECT_TRUE(ValidateCards(deck).ok());
}

// Published counts of the 2,598,960 five-card hands by category, and of the distinct
// values within each (7,462 in all).
constexpr std::array<int64_t, kCategories> kFiveCardCounts = {
    1'302'540, 1'098'240, 123'552, 54'912, 10'200, 5'108, 3'744, 624, 40};
constexpr std::array<int64_t, kCategories> kFiveCardClasses = {1277, 2860, 858, 858, 10,
                                                               1277, 156,  156, 10};

TEST(PokerEvaluateTest, EveryFiveCardHandByCategoryAndClass) {
  std::array<int64_t, kCategories> counts = {};
  std::array<int64_t, kCategories> classes = {};
  std::vector<bool> seen(size_t{kCategories} << 20, false);
  int64_t royal = 0;
  std::array<Card, 5> hand;
  for (hand[0] = 0; hand[0] < kDeckSize; ++hand[0]) {
    for (hand[1] = hand[0] + 1; hand[1] < kDeckSize; ++hand[1]) {
      for (hand[2] = hand[1] + 1; hand[2] < kDeckSize; ++hand[2]) {
        for (hand[3] = hand[2] + 1; hand[3] < kDeckSize; ++hand[3]) {
          for (hand[4] = hand[3] + 1; hand[4] < kDeckSize; ++hand[4]) {
            const HandValue value = Evaluate(hand);
            const auto category = static_cast<size_t>(value.category());
            ++counts[category];
            if (!seen[value.packed()]) {
              seen[value.packed()] = true;
              ++classes[category];
            }
            if (value.category() == Category::kStraightFlush && value.rank(0) == kAce) ++royal;
          }
        }
      }
    }
  }
  EXPECT_EQ(counts, kFiveCardCounts);
  EXPECT_EQ(classes, kFiveCardClasses);
  int64_t total = 0, distinct = 0;
  for (int i = 0; i < kCategories; ++i) total += counts[i], distinct += classes[i];
  EXPECT_EQ(total, 2'598'960);
  EXPECT_EQ(distinct, 7'462);
  EXPECT_EQ(royal, 4);
}

TEST(PokerEvaluateTest, OrdersHandsAsTheRulesSay) {
  // The wheel is the lowest straight; the ace counts high in any other.
  EXPECT_LT(Value("Ah 2c 3d 4s 5h"), Value("2c 3d 4s 5h 6h"));
  EXPECT_LT(Value("9h Tc Jd Qs Kh"), Value("Th Jc Qd Ks Ah"));
  EXPECT_EQ(Value("Ah 2c 3d 4s 5h").category(), Category::kStraight);
  EXPECT_EQ(Value("Qh Kc Ad 2s 3h").category(), Category::kHighCard);  // No wrapping.
  EXPECT_LT(Value("Ah Kc Qd Js 9h"), Value("2c 3d 4s 5h 6h"));
  EXPECT_LT(Value("Th Jc Qd Ks Ah"), Value("2h 3h 4h 5h 7h"));  // Flush beats straight.
  EXPECT_LT(Value("Ah Kh Qh Jh 9h"), Value("2c 2d 2s 3h 3c"));  // Full house beats flush.
  EXPECT_LT(Value("Ac Ad As Kh Kc"), Value("2c 2d 2s 2h 3c"));  // Four beats full house.
  EXPECT_LT(Value("Ac Ad As Ah Kc"), Value("Ah 2h 3h 4h 5h"));  // Steel wheel beats four.
  EXPECT_LT(Value("9h Th Jh Qh Kh"), Value("Th Jh Qh Kh Ah"));
  // Kickers decide, down to the last card; suits never do.
  EXPECT_LT(Value("Ah Ac Kd Qs 2h"), Value("Ad As Kh Qc 3d"));
  EXPECT_LT(Value("Kh Kc 7d 7s Ah"), Value("Kd Ks 8h 8c 2d"));  // Second pair first.
  EXPECT_LT(Value("Kh Kc 7d 7s Qh"), Value("Kd Ks 7h 7c Ad"));  // Then the kicker.
  EXPECT_LT(Value("Ah Kh Qh Jh 8h"), Value("Ad Kd Qd Jd 9d"));
  EXPECT_EQ(Value("Ah Kc Qd Js 9h"), Value("As Kd Qh Jc 9s"));
  EXPECT_EQ(Value("5h 5c 9d 9s Kh"), Value("5d 5s 9h 9c Ks"));
  EXPECT_LT(Value("3h 3c 3d Ks Kh"), Value("4d 4s 4h 2c 2d"));  // Triple before pair.
}

TEST(PokerEvaluateTest, BestFiveOfSeven) {
  // Hole cards As Ks; board Kh 7d 7c 2c 9s.
  EXPECT_EQ(Describe(Value("As Ks Kh 7d 7c 2c 9s")), "two pair, kings and sevens, kicker ace");
  EXPECT_EQ(Describe(Value("Ks Kd Kh 7d 7c 7s 9s")), "full house, kings over sevens");
  EXPECT_EQ(Describe(Value("Ks Kd 7h 7d 7c 9s 9h")), "full house, sevens over kings");
  // Three pairs: the third pair's rank may be the kicker.
  EXPECT_EQ(Describe(Value("Ks Kd 7h 7d 9c 9s 2h")), "two pair, kings and nines, kicker seven");
  // A flush and a straight in seven cards: the flush; a straight flush above both.
  EXPECT_EQ(Value("2h 5h 9h Jh Kh Tc Qd").category(), Category::kFlush);
  EXPECT_EQ(Describe(Value("Ah 2h 3h 4d 5h 6c 7d")), "straight, seven high");
  EXPECT_EQ(Describe(Value("Ah 2h 3h 4h 5h 6c Kh")), "straight flush, five high");
  EXPECT_EQ(Describe(Value("Th Jh Qh Kh Ah 9h 8h")), "royal flush");
  EXPECT_EQ(Describe(Value("Ac Ad As Ah Kc Kd Qs")), "four of a kind, aces, kicker king");
  const BestHand best = BestFive(Cards("2c As 3d Ks Qs Js Ts"));
  EXPECT_EQ(CardNames(best.cards), "As Ks Qs Js Ts");
  EXPECT_EQ(Describe(best.value), "royal flush");
}

TEST(PokerEvaluateTest, DescribesEveryCategory) {
  EXPECT_EQ(Describe(Value("Ah Kc 9d 7s 3h")), "high card, ace, king, nine, seven, three");
  EXPECT_EQ(Describe(Value("Jh Jc Ad 9s 4h")), "one pair, jacks, kickers ace, nine, four");
  EXPECT_EQ(Describe(Value("5h 5c 5d Ks 2h")), "three of a kind, fives, kickers king, two");
  EXPECT_EQ(Describe(Value("Ah 2c 3d 4s 5h")), "straight, five high");
  EXPECT_EQ(Describe(Value("Ah Kh 9h 7h 3h")), "flush, ace, king, nine, seven, three");
  EXPECT_EQ(Describe(Value("5h 6h 7h 8h 9h")), "straight flush, nine high");
}

// Every seven of a deterministic sample of deals: evaluating the seven at once agrees
// with the best of the 21 fives, each five evaluated alone.
TEST(PokerEvaluateTest, SevenCardsAgreeWithTheBestOfTwentyOneFives) {
  absl::StatusOr<Sampler> sampler = Sampler::FromRandomness(Sha256("seven-card sample"));
  ASSERT_TRUE(sampler.ok());
  std::array<int64_t, kCategories> counts = {};
  for (int deal = 0; deal < 50'000; ++deal) {
    const std::vector<uint64_t> picks = *sampler->PickWithoutReplacement(7, kDeckSize);
    std::array<Card, 7> seven;
    for (int i = 0; i < 7; ++i) seven[i] = static_cast<Card>(picks[i]);
    HandValue best;
    for (int skip_a = 0; skip_a < 7; ++skip_a) {
      for (int skip_b = skip_a + 1; skip_b < 7; ++skip_b) {
        std::vector<Card> five;
        for (int i = 0; i < 7; ++i) {
          if (i != skip_a && i != skip_b) five.push_back(seven[i]);
        }
        best = std::max(best, Evaluate(five));
      }
    }
    ASSERT_EQ(Evaluate(seven), best) << CardNames(seven);
    ++counts[static_cast<size_t>(best.category())];
  }
  // Every category turns up in 50,000 deals except, most likely, the straight flush
  // (0.03 %); the rarest others (four of a kind, 0.17 %) come about 84 times.
  for (int category = 0; category < kCategories - 1; ++category) {
    EXPECT_GT(counts[category], 20) << CategoryName(static_cast<Category>(category));
  }
}

}  // namespace
}  // namespace argentpoche::poker
