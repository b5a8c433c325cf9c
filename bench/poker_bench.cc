// poker_bench: the seven-card hand evaluator (engine/poker.h) over every one of the
// 133,784,560 seven-card hands, counted by category and compared with the published
// table; prints hands evaluated per second. A figure, never a pass or a fail: the exit
// status is 0 whether or not the counts match (the line "counts match the table" says).
//
// Run:
//   build/release/bench/poker_bench           # every seven-card hand, a few seconds
//   build/release/bench/poker_bench --quick   # 1,000,000 seeded random deals (smoke run)
//
// --quick deals seven cards with the Sampler (engine/sampling.h) from a fixed randomness,
// evaluates them after dealing (only the evaluation is timed) and prints each category's
// count beside the count the table predicts for that many deals.
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/poker.h"
#include "engine/sampling.h"

namespace argentpoche::poker {
namespace {

constexpr int64_t kSevenCardHands = 133'784'560;
// Published counts of seven-card hands by the category of their best five.
constexpr std::array<int64_t, kCategories> kSevenCardCounts = {23'294'460, 58'627'800, 31'433'400,
                                                               6'461'620,  6'180'020,  4'047'644,
                                                               3'473'184,  224'848,    41'584};
constexpr int64_t kSevenCardRoyalFlushes = 4'324;
constexpr int64_t kQuickDeals = 1'000'000;

struct Tally {
  std::array<int64_t, kCategories> counts = {};
  int64_t royal_flushes = 0;
  int64_t hands = 0;
  double seconds = 0;

  void Add(HandValue value) {
    ++counts[static_cast<size_t>(value.category())];
    if (value.category() == Category::kStraightFlush && value.rank(0) == kAce) ++royal_flushes;
    ++hands;
  }
};

Tally EveryHand() {
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  std::array<Card, 7> hand;
  for (hand[0] = 0; hand[0] < kDeckSize; ++hand[0]) {
    for (hand[1] = hand[0] + 1; hand[1] < kDeckSize; ++hand[1]) {
      for (hand[2] = hand[1] + 1; hand[2] < kDeckSize; ++hand[2]) {
        for (hand[3] = hand[2] + 1; hand[3] < kDeckSize; ++hand[3]) {
          for (hand[4] = hand[3] + 1; hand[4] < kDeckSize; ++hand[4]) {
            for (hand[5] = hand[4] + 1; hand[5] < kDeckSize; ++hand[5]) {
              for (hand[6] = hand[5] + 1; hand[6] < kDeckSize; ++hand[6]) {
                tally.Add(Evaluate(hand));
              }
            }
          }
        }
      }
    }
  }
  tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  POCHE_CHECK(tally.hands == kSevenCardHands);
  return tally;
}

Tally SampledHands() {
  absl::StatusOr<Sampler> sampler = Sampler::FromRandomness(Sha256("poker_bench quick deals"));
  POCHE_CHECK(sampler.ok());
  std::vector<std::array<Card, 7>> deals(kQuickDeals);
  for (std::array<Card, 7>& deal : deals) {
    absl::StatusOr<std::vector<uint64_t>> picks = sampler->PickWithoutReplacement(7, kDeckSize);
    POCHE_CHECK(picks.ok() && picks->size() == 7);
    for (int i = 0; i < 7; ++i) deal[i] = static_cast<Card>((*picks)[i]);
  }
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  for (const std::array<Card, 7>& deal : deals) tally.Add(Evaluate(deal));
  tally.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return tally;
}

void Print(const Tally& tally, bool every_hand) {
  std::printf("%-16s %12s %12s\n", "category", "hands", every_hand ? "table" : "expected");
  bool match = every_hand;
  for (int category = kCategories - 1; category >= 0; --category) {
    const int64_t table = kSevenCardCounts[category];
    const int64_t expected = every_hand ? table : table * tally.hands / kSevenCardHands;
    std::printf("%-16s %12lld %12lld\n",
                std::string(CategoryName(static_cast<Category>(category))).c_str(),
                static_cast<long long>(tally.counts[category]), static_cast<long long>(expected));
    match = match && tally.counts[category] == table;
  }
  std::printf(
      "%-16s %12lld %12lld\n", "(royal flush)", static_cast<long long>(tally.royal_flushes),
      static_cast<long long>(every_hand ? kSevenCardRoyalFlushes
                                        : kSevenCardRoyalFlushes * tally.hands / kSevenCardHands));
  match = match && tally.royal_flushes == kSevenCardRoyalFlushes;
  std::printf("%-16s %12lld\n", "total", static_cast<long long>(tally.hands));
  if (every_hand) std::printf("counts match the table: %s\n", match ? "yes" : "NO");
  std::printf("evaluated %lld hands in %.3f s: %.1f million hands/s (one thread)\n",
              static_cast<long long>(tally.hands), tally.seconds,
              static_cast<double>(tally.hands) / tally.seconds / 1e6);
}

}  // namespace
}  // namespace argentpoche::poker

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  using namespace argentpoche::poker;
  if (quick) {
    std::printf("poker_bench --quick: %lld seeded random seven-card deals\n",
                static_cast<long long>(kQuickDeals));
    Print(SampledHands(), /*every_hand=*/false);
  } else {
    std::printf("poker_bench: every seven-card hand\n");
    Print(EveryHand(), /*every_hand=*/true);
  }
  return 0;
}
