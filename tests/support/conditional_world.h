// The random world of tests/conditional_property_test.cc: the parties' keys (four with USD
// and JPY accounts, an arbiter, six oracles), six oracle events with a true value each
// and each oracle's reading of it (one in six a lie), random conditional terms over them, sealed
// attestations, and the counts a run reports. Seeded by the caller's generator, so a seed
// replays the same world. Test keys only. Not thread-safe; the generator passed in must
// outlive the world.
#ifndef ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WORLD_H_
#define ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WORLD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/envelope.pb.h"
#include "engine/crypto.h"

namespace argentpoche::testing {

// 2026-11-25 00:00:00 UTC.
inline constexpr int64_t kWorldStartMs = 1795564800000;
inline constexpr int64_t kWorldHourMs = 3600 * 1000;
inline constexpr int64_t kWorldDayMs = 24 * kWorldHourMs;
// keys[0..3]: parties with USD and JPY accounts; keys[4]: the arbiter; keys[5..10]: oracles.
inline constexpr int kMoneyParties = 4;
inline constexpr int kArbiterKey = 4;
inline constexpr int kFirstOracleKey = 5;
// The last oracle may attest prices only.
inline constexpr int kOracles = 6;
inline constexpr int kEvents = 6;
// Preimages; contracts await only the first three.
inline constexpr int kSecrets = 4;

struct WorldEvent {
  std::string feed;
  std::string event_id;
  // The announced observation window [from, until).
  int64_t from_unix_ms = 0;
  int64_t until_unix_ms = 0;
  // The true value, at scale 2.
  int64_t truth = 0;
  bool announced = false;
};

// A contract the run created, and what it last saw of it.
struct TrackedContract {
  std::string id;
  v1::ConditionalTerms terms;
  // Role -> index in keys.
  std::map<std::string, int> key_of_role;
  // The oracles (0-based) its value sources name.
  std::set<int> oracles;
  v1::Contract last;
  bool ever_disputed = false;
};

struct WorldCounts {
  int contracts = 0;
  int settled_by_branch = 0;
  int arbitrated = 0;
  int refunded = 0;
  int expired = 0;
  int disputed = 0;
  int attestations = 0;
  int equivocations = 0;
  int retries = 0;
  int refusals = 0;
  uint64_t journal_records = 0;
  std::map<std::string, int> refusals_by_reason;

  void Add(const WorldCounts& other);
  // One line: "contracts 120: settled 40 by a branch, ...".
  std::string Summary() const;
};

class ConditionalWorld {
 public:
  explicit ConditionalWorld(std::mt19937_64& random);

  const SigningKey& key(int index) const { return keys_[index]; }
  int key_count() const { return static_cast<int>(keys_.size()); }
  const SigningKey& oracle_key(int oracle) const { return keys_[kFirstOracleKey + oracle]; }
  std::vector<WorldEvent>& events() { return events_; }
  // The oracle's reading of the event's value at scale 2: the truth give or take 0.02,
  // or, when it lies about the event, 1.00 to 9.00 away from it. Always the same.
  int64_t reading(int oracle, int event) const { return readings_[oracle][event]; }
  bool lies(int oracle, int event) const { return lies_[oracle][event]; }
  bool MayAttest(int oracle, int event) const;

  // The operator's registration of `oracle`, its key valid for a year.
  v1::RegisterOracle Registration(int oracle) const;
  // Random terms created at `now_unix_ms` whose value sources name only oracles not in
  // `flagged`; `key_of_role` receives who plays each role. nullopt when no oracle is left.
  std::optional<v1::ConditionalTerms> RandomTerms(int64_t now_unix_ms, const std::set<int>& flagged,
                                                  std::map<std::string, int>& key_of_role);
  // `oracle`'s attestation of `value` (scale 2) for `event`, expressed at scale 1, 2 or
  // 3 (`scale_choice` 0, 1, 2; scale 1 only when exact), signed with its key.
  v1::SignedEnvelope Seal(int oracle, int event, int64_t value, int64_t observed_at_unix_ms,
                          int scale_choice) const;
  static std::string Secret(int index);

  int64_t Uniform(int64_t low, int64_t high);  // in [low, high]

 private:
  v1::Condition RandomCondition(const v1::ConditionalTerms& terms, int64_t now_unix_ms, int depth);
  // `truths`: the true value (scale 2) of each value source's event.
  v1::PayoutRule RandomPayout(const v1::ConditionalTerms& terms,
                              const std::vector<int64_t>& truths);
  v1::ValueSource RandomSource(int index, int64_t now_unix_ms, const std::set<int>& flagged);
  // `total` split into `parts` amounts, each at least `minimum`.
  std::vector<int64_t> Split(int64_t total, size_t parts, int64_t minimum);

  std::mt19937_64& random_;
  std::vector<SigningKey> keys_;
  std::vector<WorldEvent> events_;
  std::vector<std::vector<int64_t>> readings_;
  std::vector<std::vector<bool>> lies_;
};

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_CONDITIONAL_WORLD_H_
