#include "tests/simulation/harness.h"

#include <optional>
#include <utility>

#include "engine/check.h"
#include "engine/keys.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::simulation {

SigningKey TestKey(std::string_view label) {
  std::string seed = Concat("TEST KEY sim ", label);
  POCHE_CHECK(seed.size() <= kSeedBytes);
  seed.resize(kSeedBytes, '.');
  absl::StatusOr<SigningKey> key = SigningKey::FromSeed(seed);
  POCHE_CHECK(key.ok());
  return *std::move(key);
}

EngineHarness::EngineHarness(int parties)
    : operator_key_(TestKey("operator")),
      receipt_public_key_(TestKey("receipts").public_key()),
      stranger_key_(TestKey("stranger")) {
  POCHE_CHECK(parties >= 0 && parties <= 999);
  for (int i = 0; i < parties; ++i) party_keys_.push_back(TestKey(Concat("party ", i)));
}

EngineHarness::~EngineHarness() { Close(); }

absl::Status EngineHarness::Open() {
  POCHE_CHECK(engine_ == nullptr);
  EngineOptions options;
  options.operator_public_keys.push_back(operator_key_.public_key());
  options.scheduler_poll_ms = 0;
  POCHE_ASSIGN_OR_RETURN(engine_, Engine::Open(&faults_, &clock_, TestKey("receipts"), options));
  return absl::OkStatus();
}

void EngineHarness::Close() { engine_.reset(); }

absl::StatusOr<v1::JournalHead> EngineHarness::JournalHead() const {
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                         store_.Get(Table::kMeta, keys::kJournalHead));
  v1::JournalHead head;
  if (bytes && !head.ParseFromString(*bytes)) {
    return absl::DataLossError("the journal head does not parse");
  }
  return head;
}

}  // namespace argentpoche::simulation
