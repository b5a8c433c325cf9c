// For the oracle tests only: a temporary directory removed with everything in it when the
// object goes, and small files written into it.
#ifndef ARGENTPOCHE_ORACLES_TEST_FILES_H_
#define ARGENTPOCHE_ORACLES_TEST_FILES_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "engine/check.h"

namespace argentpoche::oracles::testing {

class TestDirectory {
 public:
  TestDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "poche-oracle-test-XXXXXX").string();
    POCHE_CHECK(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TestDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TestDirectory(const TestDirectory&) = delete;
  TestDirectory& operator=(const TestDirectory&) = delete;

  const std::string& path() const { return path_; }

  // Writes `contents` to the file `name` in the directory (replacing it) and returns its
  // path.
  std::string Write(std::string_view name, std::string_view contents) const {
    const std::string file = path_ + "/" + std::string(name);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    POCHE_CHECK(out.good());
    return file;
  }

 private:
  std::string path_;
};

}  // namespace argentpoche::oracles::testing

#endif  // ARGENTPOCHE_ORACLES_TEST_FILES_H_
