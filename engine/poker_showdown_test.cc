#include "engine/poker_showdown.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/limits.h"
#include "engine/status.h"

namespace argentpoche::poker {
namespace {

std::vector<Card> Cards(std::string_view names) {
  absl::StatusOr<std::vector<Card>> cards = ParseCards(names);
  EXPECT_TRUE(cards.ok()) << cards.status();
  return cards.ok() ? *cards : std::vector<Card>();
}

// Hole cards of each player from "As Kd, 7c 7h, ...".
std::vector<std::array<Card, 2>> Hands(std::vector<std::string_view> pairs) {
  std::vector<std::array<Card, 2>> hands;
  for (std::string_view pair : pairs) {
    const std::vector<Card> cards = Cards(pair);
    EXPECT_EQ(cards.size(), 2u);
    if (cards.size() == 2) hands.push_back({cards[0], cards[1]});
  }
  return hands;
}

TEST(ShowdownTest, BestHandTakesThePot) {
  const auto hands = Hands({"As Kd", "7c 7h", "Qs Jc"});
  absl::StatusOr<ShowdownResult> result = Showdown(hands, Cards("Ks 7d 2c 9h 4s"), 30'000);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->winners, (std::vector<size_t>{1}));
  EXPECT_EQ(result->payouts_minor_units, (std::vector<int64_t>{0, 30'000, 0}));
  EXPECT_EQ(Describe(result->hands[1].value), "three of a kind, sevens, kickers king, nine");
  EXPECT_EQ(Describe(result->hands[0].value), "one pair, kings, kickers ace, nine, seven");
}

TEST(ShowdownTest, KickerDecidesBetweenEqualPairs) {
  const auto hands = Hands({"Ah Qd", "Ad Kc"});
  absl::StatusOr<ShowdownResult> result = Showdown(hands, Cards("As 8c 5d 3h 2s"), 100);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->payouts_minor_units, (std::vector<int64_t>{0, 100}));
}

TEST(ShowdownTest, TiesSplitWithOddUnitsToTheFirstWinnersInOrderOfPlay) {
  // The board's nine-high straight plays for all five players: no hole card improves it.
  const auto hands = Hands({"2c 3d", "4c 2d", "2h 2s", "Kc 3h", "3c 4h"});
  absl::StatusOr<ShowdownResult> result = Showdown(hands, Cards("5s 6d 7h 8c 9s"), 1003);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->winners, (std::vector<size_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(result->payouts_minor_units, (std::vector<int64_t>{201, 201, 201, 200, 200}));

  const auto two_of_five = Hands({"Kc Qd", "Ac 2d", "Kh Qh", "Ah 3d", "Jc Js"});
  result = Showdown(two_of_five, Cards("As Ad 9h 5c 4s"), 1001);
  ASSERT_TRUE(result.ok());
  // Players 1 and 3 hold three aces with the same kickers (nine, five).
  EXPECT_EQ(result->winners, (std::vector<size_t>{1, 3}));
  EXPECT_EQ(result->payouts_minor_units, (std::vector<int64_t>{0, 501, 0, 500, 0}));
}

TEST(ShowdownTest, OnePlayerAndAnEmptyPot) {
  absl::StatusOr<ShowdownResult> result = Showdown(Hands({"2c 3d"}), Cards("5s 6d 7h 8c Ts"), 0);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->payouts_minor_units, (std::vector<int64_t>{0}));
  result = Showdown(Hands({"2c 3d"}), Cards("5s 6d 7h 8c Ts"), limits::kMaxAmountMinorUnits);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->payouts_minor_units[0], limits::kMaxAmountMinorUnits);
}

TEST(ShowdownTest, RefusesMalformedDeals) {
  const std::vector<Card> board = Cards("5s 6d 7h 8c Ts");
  EXPECT_EQ(ReasonOf(Showdown({}, board, 10).status()), "NO_PLAYERS");
  EXPECT_EQ(ReasonOf(Showdown(Hands({"2c 3d"}), Cards("5s 6d 7h 8c"), 10).status()),
            "MALFORMED_BOARD");
  EXPECT_EQ(ReasonOf(Showdown(Hands({"2c 3d", "3d 4c"}), board, 10).status()), "DUPLICATE_CARD");
  EXPECT_EQ(ReasonOf(Showdown(Hands({"2c 5s"}), board, 10).status()), "DUPLICATE_CARD");
  const std::vector<std::array<Card, 2>> bad_card = {{2, 60}};
  EXPECT_EQ(ReasonOf(Showdown(bad_card, board, 10).status()), "MALFORMED_CARD");
  EXPECT_EQ(ReasonOf(Showdown(Hands({"2c 3d"}), board, -1).status()), "AMOUNT_OUT_OF_RANGE");
  EXPECT_EQ(ReasonOf(Showdown(Hands({"2c 3d"}), board, limits::kMaxAmountMinorUnits + 1).status()),
            "AMOUNT_OUT_OF_RANGE");
  std::vector<std::array<Card, 2>> too_many;
  for (size_t card = 0; card + 1 < 2 * (kMaxShowdownPlayers + 1); card += 2) {
    too_many.push_back({static_cast<Card>(card), static_cast<Card>(card + 1)});
  }
  EXPECT_EQ(ReasonOf(Showdown(too_many, Cards("Ks Kd Kh Kc As"), 10).status()), "TOO_MANY_PLAYERS");
}

}  // namespace
}  // namespace argentpoche::poker
