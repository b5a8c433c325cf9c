#include "engine/poker.h"

#include <array>
#include <bit>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::poker {
namespace {

constexpr std::string_view kRankLetters = "23456789TJQKA";
constexpr std::string_view kSuitLetters = "cdhs";

// Rank sets are 13-bit masks: bit r set when rank r is present.
int Highest(uint32_t ranks) { return std::bit_width(ranks) - 1; }

// `deciding` shifted left by 4 bits per rank, then the `count` highest ranks of `ranks`.
uint32_t AppendHighest(uint32_t deciding, uint32_t ranks, int count) {
  for (int i = 0; i < count; ++i) {
    const int rank = Highest(ranks);
    ranks &= ~(uint32_t{1} << rank);
    deciding = (deciding << 4) | static_cast<uint32_t>(rank);
  }
  return deciding;
}

// The highest card of the best straight within `ranks`, or -1. The ace also counts
// below the two: bit 0 of `extended` is the low ace, bit r + 1 is rank r.
int StraightHigh(uint32_t ranks) {
  const uint32_t extended = (ranks << 1) | ((ranks >> kAce) & 1);
  const uint32_t runs =
      extended & (extended >> 1) & (extended >> 2) & (extended >> 3) & (extended >> 4);
  // Bit i of `runs`: extended bits i..i+4 all set, the top one being rank i + 3.
  return runs == 0 ? -1 : Highest(runs) + 3;
}

// `deciding` holds `used` ranks; they are moved to the top nibbles.
HandValue Make(Category category, uint32_t deciding, int used) {
  return HandValue::FromPacked((static_cast<uint32_t>(category) << 20) |
                               (deciding << (4 * (5 - used))));
}

// The value from the rank sets of each suit and of ranks held at least once, twice, three
// and four times.
HandValue EvaluateRankSets(const std::array<uint32_t, kSuits>& suits, uint32_t once, uint32_t twice,
                           uint32_t thrice, uint32_t four_times) {
  uint32_t flush = 0;  // At most one suit has five of seven cards.
  for (uint32_t suit : suits) {
    if (std::popcount(suit) >= 5) flush = suit;
  }
  if (flush != 0) {
    const int high = StraightHigh(flush);
    if (high >= 0) return Make(Category::kStraightFlush, high, 1);
  }
  if (four_times != 0) {
    const int four = Highest(four_times);
    return Make(Category::kFourOfAKind, AppendHighest(four, once & ~(1u << four), 1), 2);
  }
  const int triple = thrice == 0 ? -1 : Highest(thrice);
  if (triple >= 0) {
    const uint32_t pairs = twice & ~(1u << triple);  // A second triple plays as a pair.
    if (pairs != 0) return Make(Category::kFullHouse, (triple << 4) | Highest(pairs), 2);
  }
  if (flush != 0) return Make(Category::kFlush, AppendHighest(0, flush, 5), 5);
  const int straight = StraightHigh(once);
  if (straight >= 0) return Make(Category::kStraight, straight, 1);
  if (triple >= 0) {
    return Make(Category::kThreeOfAKind, AppendHighest(triple, once & ~(1u << triple), 2), 3);
  }
  if (std::popcount(twice) >= 2) {
    const int high = Highest(twice);
    const int low = Highest(twice & ~(1u << high));
    const uint32_t rest = once & ~(1u << high) & ~(1u << low);
    return Make(Category::kTwoPair, AppendHighest((high << 4) | low, rest, 1), 3);
  }
  if (twice != 0) {
    const int pair = Highest(twice);
    return Make(Category::kOnePair, AppendHighest(pair, once & ~(1u << pair), 3), 4);
  }
  return Make(Category::kHighCard, AppendHighest(0, once, 5), 5);
}

}  // namespace

std::string CardName(Card card) {
  POCHE_CHECK(card < kDeckSize);
  return {kRankLetters[RankOf(card)], kSuitLetters[SuitOf(card)]};
}

std::string CardNames(std::span<const Card> cards) {
  std::string names;
  for (Card card : cards) names += Concat(names.empty() ? "" : " ", CardName(card));
  return names;
}

absl::StatusOr<Card> ParseCard(std::string_view name) {
  const std::string_view ranks_either_case = "23456789TJQKA23456789tjqka";
  if (name.size() == 2) {
    const size_t rank = ranks_either_case.find(name[0]);
    const size_t suit = kSuitLetters.find(name[1]);
    if (rank != std::string_view::npos && suit != std::string_view::npos) {
      return MakeCard(static_cast<int>(rank % kRanks), static_cast<int>(suit));
    }
  }
  return InvalidArgument("MALFORMED_CARD",
                         Concat("'", name.substr(0, 8), "' is not a card (like As, Td, 2c)"));
}

absl::StatusOr<std::vector<Card>> ParseCards(std::string_view names) {
  std::vector<Card> cards;
  size_t start = 0;
  // A bound on the loop: a string of cards is never longer than a deck of them.
  for (int count = 0; count <= kDeckSize * 2; ++count) {
    start = names.find_first_not_of(' ', start);
    if (start == std::string_view::npos) return cards;
    const size_t end = std::min(names.find(' ', start), names.size());
    absl::StatusOr<Card> card = ParseCard(names.substr(start, end - start));
    if (!card.ok()) return card.status();
    cards.push_back(*card);
    start = end;
  }
  return InvalidArgument("MALFORMED_CARD", "too many cards");
}

absl::Status ValidateCards(std::span<const Card> cards) {
  uint64_t seen = 0;
  for (Card card : cards) {
    if (card >= kDeckSize) {
      return InvalidArgument("MALFORMED_CARD", Concat("card number ", card, " is not below 52"));
    }
    if ((seen >> card) & 1) {
      return InvalidArgument("DUPLICATE_CARD", Concat(CardName(card), " appears twice"));
    }
    seen |= uint64_t{1} << card;
  }
  return absl::OkStatus();
}

std::array<Card, kDeckSize> ShuffledDeck(Sampler& sampler) {
  std::vector<Card> deck(kDeckSize);
  std::iota(deck.begin(), deck.end(), Card{0});
  POCHE_CHECK(sampler.Shuffle(deck).ok());
  std::array<Card, kDeckSize> shuffled;
  std::copy(deck.begin(), deck.end(), shuffled.begin());
  return shuffled;
}

std::string_view CategoryName(Category category) {
  static constexpr std::array<std::string_view, kCategories> kNames = {
      "high card", "one pair",   "two pair",       "three of a kind", "straight",
      "flush",     "full house", "four of a kind", "straight flush"};
  const auto index = static_cast<size_t>(category);
  POCHE_CHECK(index < kNames.size());
  return kNames[index];
}

HandValue Evaluate(std::span<const Card> cards) {
  POCHE_CHECK(cards.size() >= 5 && cards.size() <= 7);
  uint64_t seen = 0;
  std::array<uint32_t, kSuits> suits = {};
  uint32_t once = 0, twice = 0, thrice = 0, four_times = 0;
  for (Card card : cards) {
    POCHE_CHECK(card < kDeckSize);
    seen |= uint64_t{1} << card;
    const uint32_t rank = uint32_t{1} << RankOf(card);
    suits[SuitOf(card)] |= rank;
    four_times |= thrice & rank;
    thrice |= twice & rank;
    twice |= once & rank;
    once |= rank;
  }
  POCHE_CHECK(static_cast<size_t>(std::popcount(seen)) == cards.size());
  return EvaluateRankSets(suits, once, twice, thrice, four_times);
}

BestHand BestFive(std::span<const Card> cards) {
  POCHE_CHECK(cards.size() >= 5 && cards.size() <= 7);
  const int n = static_cast<int>(cards.size());
  BestHand best;
  bool found = false;
  // Positions a < b < c < d < e in lexicographic order; a later five replaces only a
  // strictly better one, so ties keep the first.
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      for (int c = b + 1; c < n; ++c) {
        for (int d = c + 1; d < n; ++d) {
          for (int e = d + 1; e < n; ++e) {
            const std::array<Card, 5> five = {cards[a], cards[b], cards[c], cards[d], cards[e]};
            const HandValue value = Evaluate(five);
            if (!found || value > best.value) best = {value, five};
            found = true;
          }
        }
      }
    }
  }
  POCHE_CHECK(found);
  POCHE_CHECK(best.value == Evaluate(cards));
  return best;
}

}  // namespace argentpoche::poker
