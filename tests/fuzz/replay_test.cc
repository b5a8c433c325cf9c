// Replays a fuzz target's committed inputs once, as a test of the ordinary builds: every
// seed of its corpus and every input that once crashed it (regressions/). Linked with
// one *_fuzz.cc, whose LLVMFuzzerTestOneInput it calls; POCHE_FUZZ_CORPUS and
// POCHE_FUZZ_REGRESSIONS name the directories (tests/fuzz/CMakeLists.txt). A broken
// invariant aborts the test binary, which fails the test.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace argentpoche::fuzz {
namespace {

// The files of `directory`, sorted; none if it does not exist.
std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(directory)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void Replay(const std::filesystem::path& file) {
  SCOPED_TRACE(file.string());
  std::ifstream stream(file, std::ios::binary);
  ASSERT_TRUE(stream.good());
  const std::string bytes((std::istreambuf_iterator<char>(stream)),
                          std::istreambuf_iterator<char>());
  EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()),
            0);
}

TEST(FuzzReplayTest, EverySeedRuns) {
  const std::vector<std::filesystem::path> seeds = FilesIn(POCHE_FUZZ_CORPUS);
  EXPECT_FALSE(seeds.empty()) << "no seeds in " << POCHE_FUZZ_CORPUS;
  for (const std::filesystem::path& seed : seeds) Replay(seed);
}

TEST(FuzzReplayTest, EveryInputThatOnceCrashedRuns) {
  for (const std::filesystem::path& input : FilesIn(POCHE_FUZZ_REGRESSIONS)) Replay(input);
}

}  // namespace
}  // namespace argentpoche::fuzz
