#include "oracles/csv.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/limits.h"

namespace argentpoche::oracles {
namespace {

absl::Status Malformed(std::string_view source_name, int64_t line, std::string_view why) {
  return InvalidArgument("MALFORMED_CSV", Concat(WhereIs(source_name, line), why));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// Splits one line into fields. False for an unterminated quote or text after a closing
// quote.
bool SplitFields(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  size_t position = 0;
  while (true) {
    // Skip the spaces before the field, to see whether it is quoted.
    while (position < line.size() && line[position] == ' ') ++position;
    std::string field;
    if (position < line.size() && line[position] == '"') {
      ++position;
      while (true) {
        if (position >= line.size()) return false;
        if (line[position] == '"') {
          if (position + 1 < line.size() && line[position + 1] == '"') {
            field.push_back('"');
            position += 2;
            continue;
          }
          ++position;
          break;
        }
        field.push_back(line[position++]);
      }
      const size_t comma = line.find(',', position);
      const std::string_view after = line.substr(
          position, comma == std::string_view::npos ? std::string_view::npos : comma - position);
      if (!Trim(after).empty()) return false;
      position = comma == std::string_view::npos ? line.size() : comma;
    } else {
      const size_t comma = line.find(',', position);
      const std::string_view raw = line.substr(
          position, comma == std::string_view::npos ? std::string_view::npos : comma - position);
      field = std::string(Trim(raw));
      position = comma == std::string_view::npos ? line.size() : comma;
    }
    fields->push_back(std::move(field));
    if (position >= line.size()) return true;
    ++position;  // The comma.
  }
}

}  // namespace

std::string WhereIs(std::string_view source_name, int64_t line) {
  return Concat(source_name, ":", line, ": ");
}

absl::StatusOr<CsvTable> ParseCsv(std::string_view text, std::string_view source_name) {
  CsvTable table;
  table.source_name = std::string(source_name);
  int64_t line_number = 0;
  std::vector<std::string> fields;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    if (line.size() > limits::kMaxCsvLineBytes) {
      return Malformed(source_name, line_number,
                       Concat("the line is longer than ", limits::kMaxCsvLineBytes, " bytes"));
    }
    if (Trim(line).empty()) continue;
    if (!SplitFields(line, &fields)) {
      return Malformed(source_name, line_number, "a quoted field is not closed properly");
    }
    if (table.header.empty()) {
      if (fields.size() > limits::kMaxCsvColumns) {
        return Malformed(source_name, line_number,
                         Concat("more than ", limits::kMaxCsvColumns, " columns"));
      }
      for (size_t i = 0; i < fields.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (fields[i] == fields[j]) {
            return Malformed(source_name, line_number,
                             Concat("the column \"", fields[i], "\" appears twice"));
          }
        }
      }
      table.header = fields;
      continue;
    }
    if (fields.size() != table.header.size()) {
      return Malformed(source_name, line_number,
                       Concat(fields.size(), " fields where the header has ", table.header.size()));
    }
    table.records.push_back(CsvRecord{line_number, fields});
  }
  if (table.header.empty()) {
    return Malformed(source_name, 1, "the file is empty: it needs a header line");
  }
  return table;
}

absl::StatusOr<size_t> ColumnIndex(const CsvTable& table, std::string_view name) {
  std::string columns;
  for (size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i] == name) return i;
    if (i < 16) columns += Concat(i == 0 ? "" : ", ", table.header[i]);
  }
  if (table.header.size() > 16) columns += ", ...";
  return InvalidArgument("MISSING_COLUMN", Concat(table.source_name, " has no column \"", name,
                                                  "\"; its columns are: ", columns));
}

absl::StatusOr<std::string> ReadDataFile(const std::string& path) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  if (error == std::errc::no_such_file_or_directory) {
    return NotFound("DATA_FILE_NOT_FOUND", Concat("there is no data file ", path));
  }
  if (error) {
    return FailedPrecondition("DATA_FILE_UNREADABLE",
                              Concat("cannot read ", path, ": ", error.message()));
  }
  if (size > limits::kMaxDataFileBytes) {
    return FailedPrecondition("DATA_FILE_TOO_LARGE", Concat(path, " is larger than ",
                                                            limits::kMaxDataFileBytes, " bytes"));
  }
  std::ifstream file(path, std::ios::binary);
  // One byte more than the size seen, to notice a file that grew meanwhile.
  std::string contents(static_cast<size_t>(size) + 1, '\0');
  file.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  if (!file && !file.eof()) {
    return FailedPrecondition("DATA_FILE_UNREADABLE",
                              Concat("cannot read ", path, ": ", std::strerror(errno)));
  }
  contents.resize(static_cast<size_t>(file.gcount()));
  if (contents.size() > size) {
    return FailedPrecondition("DATA_FILE_UNREADABLE",
                              Concat(path, " changed while it was read; it is read again later"));
  }
  return contents;
}

}  // namespace argentpoche::oracles
