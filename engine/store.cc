#include "engine/store.h"

#include <array>
#include <string>
#include <string_view>

#include "engine/check.h"

namespace argentpoche {
namespace {

// Indexed by the numeric value of Table; the names are persisted (RocksDB column
// families), so they must never change.
constexpr std::array<std::string_view, kTableCount> kTableNames = {
    "meta",      "parties",       "accounts",     "transfers",     "holds",
    "contracts", "requests",      "journal",      "schedule",      "index",
    "oracles",   "oracle_events", "attestations", "equivocations",
};

}  // namespace

std::string_view TableName(Table table) {
  const int index = static_cast<int>(table);
  POCHE_CHECK(index >= 0 && index < kTableCount);
  return kTableNames[index];
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) {
    end.pop_back();
  }
  if (end.empty()) return end;  // Every byte was 0xff (or none): no upper bound.
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace argentpoche
