#include "oracles/price_csv.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "oracles/csv.h"

namespace argentpoche::oracles {
namespace {

// The value of text[from, from + count) when it is all digits, else -1.
int64_t DigitsAt(std::string_view text, size_t from, size_t count) {
  if (from + count > text.size() || count == 0 || count > 18) return -1;
  int64_t value = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "2026-12-31T16:00:00Z" or with ".5", ".25", ".250" before the Z; -1 when it is not.
int64_t ParseIsoUtc(std::string_view text) {
  if (text.size() < 20 || text.size() > 24 || text.back() != 'Z') return -1;
  if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return -1;
  }
  const int64_t year = DigitsAt(text, 0, 4), month = DigitsAt(text, 5, 2);
  const int64_t day = DigitsAt(text, 8, 2), hour = DigitsAt(text, 11, 2);
  const int64_t minute = DigitsAt(text, 14, 2), second = DigitsAt(text, 17, 2);
  int64_t milliseconds = 0;
  if (text.size() > 20) {
    const size_t digits = text.size() - 21;  // Between the '.' and the 'Z'.
    if (text[19] != '.' || digits == 0) return -1;
    milliseconds = DigitsAt(text, 20, digits);
    if (milliseconds < 0) return -1;
    for (size_t i = digits; i < 3; ++i) milliseconds *= 10;
  } else if (text[19] != 'Z') {
    return -1;
  }
  if (year < 1970 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return -1;
  const absl::CivilSecond civil(year, month, day, hour, minute, second);
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute || civil.second() != second) {
    return -1;  // Not a real moment (month 13, 31 April, 24:00, a leap second).
  }
  return absl::ToUnixMillis(absl::FromCivil(civil, absl::UTCTimeZone())) + milliseconds;
}

absl::Status At(std::string_view source_name, const CsvRecord& record, std::string_view column,
                const absl::Status& status) {
  return Error(
      status.code(), ReasonOf(status),
      Concat(WhereIs(source_name, record.line), "column ", column, ": ", status.message()));
}

}  // namespace

absl::StatusOr<int64_t> ParseTickTime(std::string_view text) {
  int64_t value = -1;
  if (!text.empty() && text.size() <= 18 && DigitsAt(text, 0, text.size()) >= 0) {
    value = DigitsAt(text, 0, text.size());
  } else if (text.find('T') != std::string_view::npos) {
    value = ParseIsoUtc(text);
  }
  if (value < 0) {
    return InvalidArgument(
        "MALFORMED_TIME",
        Concat("\"", text.substr(0, 40),
               "\" is not a time in Unix milliseconds (1798732800000) or ISO-8601 UTC "
               "(2026-12-31T16:00:00Z) from 1970 on"));
  }
  return value;
}

absl::StatusOr<std::vector<PriceTick>> ParsePriceCsv(std::string_view text,
                                                     std::string_view source_name,
                                                     const PriceCsvOptions& options) {
  POCHE_ASSIGN_OR_RETURN(const CsvTable table, ParseCsv(text, source_name));
  POCHE_ASSIGN_OR_RETURN(const size_t time_column, ColumnIndex(table, options.time_column));
  POCHE_ASSIGN_OR_RETURN(const size_t price_column, ColumnIndex(table, options.price_column));
  std::vector<PriceTick> ticks;
  ticks.reserve(table.records.size());
  int64_t previous_line = 0;
  for (const CsvRecord& record : table.records) {
    absl::StatusOr<int64_t> time = ParseTickTime(record.fields[time_column]);
    if (!time.ok()) return At(source_name, record, options.time_column, time.status());
    absl::StatusOr<Decimal> price = ParseDecimal(record.fields[price_column]);
    if (!price.ok()) return At(source_name, record, options.price_column, price.status());
    if (!ticks.empty() && *time <= ticks.back().time_unix_ms) {
      return InvalidArgument(
          "TICKS_OUT_OF_ORDER",
          Concat(WhereIs(source_name, record.line), "the tick at ", *time,
                 *time == ticks.back().time_unix_ms ? " has the same time as" : " is before",
                 " the tick on line ", previous_line,
                 "; ticks must be strictly increasing in time"));
    }
    ticks.push_back(PriceTick{*time, *price});
    previous_line = record.line;
  }
  return ticks;
}

absl::StatusOr<std::vector<PriceTick>> CsvPriceSource::ReadTicks() {
  POCHE_ASSIGN_OR_RETURN(std::string text, ReadDataFile(path_));
  if (text != cached_text_ || cached_text_.empty()) {
    POCHE_ASSIGN_OR_RETURN(cached_ticks_, ParsePriceCsv(text, path_, options_));
    cached_text_ = std::move(text);
  }
  return cached_ticks_;
}

}  // namespace argentpoche::oracles
