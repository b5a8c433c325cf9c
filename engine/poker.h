// Poker hands: the 52-card deck, the five-card hand value (totally ordered, kickers
// included) and the best five of up to seven cards (Texas hold'em: 2 hole + 5 board).
//
//   absl::StatusOr<std::vector<poker::Card>> cards = poker::ParseCards("Ks Kd Kh 7d 7c 2c 9s");
//   poker::HandValue value = poker::Evaluate(*cards);
//   poker::Describe(value);  // "full house, kings over sevens"
//
// Cards: a Card is rank * 4 + suit, 0..51, with rank 0 = two, 1 = three, ..., 8 = ten,
// 9 = jack, 10 = queen, 11 = king, 12 = ace, and suit 0 = clubs, 1 = diamonds, 2 = hearts,
// 3 = spades. Written as rank then suit: "2c", "Td", "Qh", "As".
//
// Hand values: HandValue::packed() is category << 20 followed by five 4-bit ranks, most
// significant first, that decide within the category:
//   high card, flush:  the five ranks, highest first;
//   one pair:          the pair, then the three kickers, highest first;
//   two pair:          the higher pair, the lower pair, the kicker;
//   three of a kind:   the triple, then the two kickers;
//   straight, straight flush: the highest card only (5 for the wheel A-2-3-4-5, in which
//                      the ace counts low; a royal flush is the ace-high straight flush);
//   full house:        the triple, then the pair;   four of a kind: the four, the kicker;
// and unused nibbles 0. Comparing packed values compares hands: two hands tie exactly
// when they have the same category and the same deciding ranks (suits never decide).
// There are 7,462 distinct values of five-card hands.
//
// Pure functions over values; thread-safe. Cards passed to Evaluate and BestFive must be
// valid and distinct (a programmer error otherwise, checked: callers parse and validate
// deals first; see ValidateCards).
#ifndef ARGENTPOCHE_ENGINE_POKER_H_
#define ARGENTPOCHE_ENGINE_POKER_H_

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/sampling.h"

namespace argentpoche::poker {

using Card = uint8_t;
inline constexpr int kDeckSize = 52;
inline constexpr int kRanks = 13;
inline constexpr int kSuits = 4;
inline constexpr int kAce = 12;

constexpr Card MakeCard(int rank, int suit) { return static_cast<Card>(rank * kSuits + suit); }
constexpr int RankOf(Card card) { return card / kSuits; }
constexpr int SuitOf(Card card) { return card % kSuits; }

// "As", "Td", "2c".
[[nodiscard]] std::string CardName(Card card);
// Space-separated card names.
[[nodiscard]] std::string CardNames(std::span<const Card> cards);
// The card named `name` (rank 2-9, T, J, Q, K, A in either case; suit c, d, h, s).
// InvalidArgument "MALFORMED_CARD" otherwise.
[[nodiscard]] absl::StatusOr<Card> ParseCard(std::string_view name);
// Cards separated by single or repeated spaces; "" gives {}. MALFORMED_CARD as above
// (duplicates are not checked here: see ValidateCards).
[[nodiscard]] absl::StatusOr<std::vector<Card>> ParseCards(std::string_view names);
// OK if every card is below kDeckSize ("MALFORMED_CARD" otherwise) and no card appears
// twice ("DUPLICATE_CARD"); both InvalidArgument.
[[nodiscard]] absl::Status ValidateCards(std::span<const Card> cards);

// The deck 0..51 in the order of the Sampler's Shuffle of {0, 1, ..., 51} (see
// engine/sampling.h): the same randomness always deals the same cards.
[[nodiscard]] std::array<Card, kDeckSize> ShuffledDeck(Sampler& sampler);

enum class Category : uint8_t {
  kHighCard = 0,
  kOnePair = 1,
  kTwoPair = 2,
  kThreeOfAKind = 3,
  kStraight = 4,
  kFlush = 5,
  kFullHouse = 6,
  kFourOfAKind = 7,
  kStraightFlush = 8,
};
inline constexpr int kCategories = 9;

// "high card", "one pair", ..., "straight flush".
[[nodiscard]] std::string_view CategoryName(Category category);

// The value of the best five-card hand; see the file comment for the layout.
class HandValue {
 public:
  constexpr HandValue() = default;
  static constexpr HandValue FromPacked(uint32_t packed) { return HandValue(packed); }

  constexpr uint32_t packed() const { return packed_; }
  constexpr Category category() const { return static_cast<Category>(packed_ >> 20); }
  // The i-th deciding rank (i = 0..4), 0 where unused.
  constexpr int rank(int i) const { return (packed_ >> (16 - 4 * i)) & 0xf; }

  friend constexpr auto operator<=>(HandValue, HandValue) = default;

 private:
  constexpr explicit HandValue(uint32_t packed) : packed_(packed) {}
  uint32_t packed_ = 0;
};

// The value of the best five of `cards` (5, 6 or 7 valid, distinct cards; checked).
// Evaluates all cards at once, without trying each five.
[[nodiscard]] HandValue Evaluate(std::span<const Card> cards);

// The best five of `cards` (5 to 7, checked as above) and which five make it, in the
// order they appear in `cards`. When several fives tie, the first in lexicographic order
// of positions. Tries every five: use Evaluate when only the value matters.
struct BestHand {
  HandValue value;
  std::array<Card, 5> cards;
};
[[nodiscard]] BestHand BestFive(std::span<const Card> cards);

// The hand in words: "full house, kings over sevens", "straight, five high",
// "royal flush", "two pair, aces and fours, kicker nine", "high card, ace, king, nine,
// seven, three".
[[nodiscard]] std::string Describe(HandValue value);

}  // namespace argentpoche::poker

#endif  // ARGENTPOCHE_ENGINE_POKER_H_
