// A small CSV reader for the data adapters. The first non-blank line names the columns;
// every later non-blank line is one record with exactly as many fields. Fields are
// separated by ','; a field may be quoted ("New York, NY", with "" for a quote) but may
// not span lines; spaces around a field and a trailing '\r' are dropped. Records keep
// their line number (1 is the first line of the file) so that every error can point to
// it.
//
//   absl::StatusOr<CsvTable> table = ParseCsv(text, "KNYC.csv");
//   absl::StatusOr<size_t> date = ColumnIndex(*table, "date");
//
// Pure functions on values the caller owns, except ReadDataFile (reads a file); all
// thread-safe.
#ifndef ARGENTPOCHE_ORACLES_CSV_H_
#define ARGENTPOCHE_ORACLES_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace argentpoche::oracles {

struct CsvRecord {
  int64_t line = 0;
  std::vector<std::string> fields;
};

struct CsvTable {
  // The name used in error messages (usually the file's path).
  std::string source_name;
  std::vector<std::string> header;
  std::vector<CsvRecord> records;
};

// The table in `text`. InvalidArgument "MALFORMED_CSV" (naming `source_name` and the
// line) for an empty file, a line longer than limits::kMaxCsvLineBytes, more than
// limits::kMaxCsvColumns columns, an unterminated quote, a duplicate column name or a
// record whose field count differs from the header's.
[[nodiscard]] absl::StatusOr<CsvTable> ParseCsv(std::string_view text,
                                                std::string_view source_name);

// The position of the column named `name` (exact, case-sensitive). InvalidArgument
// "MISSING_COLUMN" naming the columns there are.
[[nodiscard]] absl::StatusOr<size_t> ColumnIndex(const CsvTable& table, std::string_view name);

// The whole content of the file at `path`. NotFound "DATA_FILE_NOT_FOUND";
// FailedPrecondition "DATA_FILE_TOO_LARGE" above limits::kMaxDataFileBytes;
// FailedPrecondition "DATA_FILE_UNREADABLE" for any other failure (with the system's
// words).
[[nodiscard]] absl::StatusOr<std::string> ReadDataFile(const std::string& path);

// "FILE:LINE: " for error messages.
[[nodiscard]] std::string WhereIs(std::string_view source_name, int64_t line);

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_CSV_H_
