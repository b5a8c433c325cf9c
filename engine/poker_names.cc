// Describe: a hand value in words (declared in engine/poker.h).
#include <array>
#include <string>
#include <string_view>

#include "engine/check.h"
#include "engine/poker.h"
#include "engine/strings.h"

namespace argentpoche::poker {
namespace {

constexpr std::array<std::string_view, kRanks> kRankNames = {
    "two",  "three", "four", "five",  "six",  "seven", "eight",
    "nine", "ten",   "jack", "queen", "king", "ace"};
constexpr std::array<std::string_view, kRanks> kRankPlurals = {
    "twos",  "threes", "fours", "fives",  "sixes", "sevens", "eights",
    "nines", "tens",   "jacks", "queens", "kings", "aces"};

std::string_view Name(int rank) {
  POCHE_CHECK(rank >= 0 && rank < kRanks);
  return kRankNames[rank];
}

std::string_view Plural(int rank) {
  POCHE_CHECK(rank >= 0 && rank < kRanks);
  return kRankPlurals[rank];
}

// The names of value.rank(first) .. value.rank(last), joined by ", ".
std::string Names(HandValue value, int first, int last) {
  std::string names;
  for (int i = first; i <= last; ++i) {
    names += Concat(i == first ? "" : ", ", Name(value.rank(i)));
  }
  return names;
}

}  // namespace

std::string Describe(HandValue value) {
  const std::string_view category = CategoryName(value.category());
  switch (value.category()) {
    case Category::kHighCard:
    case Category::kFlush:
      return Concat(category, ", ", Names(value, 0, 4));
    case Category::kOnePair:
      return Concat(category, ", ", Plural(value.rank(0)), ", kickers ", Names(value, 1, 3));
    case Category::kTwoPair:
      return Concat(category, ", ", Plural(value.rank(0)), " and ", Plural(value.rank(1)),
                    ", kicker ", Name(value.rank(2)));
    case Category::kThreeOfAKind:
      return Concat(category, ", ", Plural(value.rank(0)), ", kickers ", Names(value, 1, 2));
    case Category::kStraight:
      return Concat(category, ", ", Name(value.rank(0)), " high");
    case Category::kFullHouse:
      return Concat(category, ", ", Plural(value.rank(0)), " over ", Plural(value.rank(1)));
    case Category::kFourOfAKind:
      return Concat(category, ", ", Plural(value.rank(0)), ", kicker ", Name(value.rank(1)));
    case Category::kStraightFlush:
      if (value.rank(0) == kAce) return "royal flush";
      return Concat(category, ", ", Name(value.rank(0)), " high");
  }
  POCHE_CHECK(false);
  return "";
}

}  // namespace argentpoche::poker
