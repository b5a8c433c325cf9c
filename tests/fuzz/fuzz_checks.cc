#include "tests/fuzz/fuzz_checks.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "google/protobuf/stubs/logging.h"

namespace argentpoche::fuzz {

void CheckOk(const absl::Status& status, std::string_view what) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s: %s\n", static_cast<int>(what.size()),
               what.data(), status.ToString().c_str());
  std::abort();
}

void Check(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

bool Verbose() {
  static const bool verbose = std::getenv("POCHE_FUZZ_VERBOSE") != nullptr;
  return verbose;
}

void SilenceProtobufLogs() { google::protobuf::SetLogHandler(nullptr); }

}  // namespace argentpoche::fuzz
