// The CSV adapter for price ticks: a file with the columns `time` and `price` (found by
// their header names; other columns are ignored), one tick per line, in time order.
//
// What it promises: times are read as Unix milliseconds ("1798732800000") or as ISO-8601
// UTC ("2026-12-31T16:00:00Z", optionally with 1 to 3 fraction digits:
// "2026-12-31T16:00:00.250Z"); no time zone offsets, no time before 1970. Prices are read
// exactly (decimal.h). Ticks must be strictly increasing in time: a tick at or before the
// one above it is refused, naming both lines, since a file out of order or with two
// prices for one moment cannot say which price held.
//
//   CsvPriceSource source("btc-usd.csv");
//   absl::StatusOr<std::vector<PriceTick>> ticks = source.ReadTicks();
#ifndef ARGENTPOCHE_ORACLES_PRICE_CSV_H_
#define ARGENTPOCHE_ORACLES_PRICE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "oracles/price_ticks.h"

namespace argentpoche::oracles {

// A tick time as above. InvalidArgument "MALFORMED_TIME" for anything else.
[[nodiscard]] absl::StatusOr<int64_t> ParseTickTime(std::string_view text);

struct PriceCsvOptions {
  std::string time_column = "time";
  std::string price_column = "price";
};

// The ticks of the CSV `text`, in file order. `source_name` names it in errors.
// InvalidArgument with reason MALFORMED_CSV or MISSING_COLUMN (csv.h), MALFORMED_TIME,
// MALFORMED_NUMBER or NUMBER_OUT_OF_RANGE (with file:line: and column), or
// TICKS_OUT_OF_ORDER.
[[nodiscard]] absl::StatusOr<std::vector<PriceTick>> ParsePriceCsv(std::string_view text,
                                                                   std::string_view source_name,
                                                                   const PriceCsvOptions& options);

// A PriceTickSource reading a CSV file on every ReadTicks. The file is parsed again only
// when its bytes differ from the last read's. Not thread-safe.
class CsvPriceSource : public PriceTickSource {
 public:
  CsvPriceSource(std::string path, PriceCsvOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}

  // The errors of ReadDataFile (csv.h) and ParsePriceCsv.
  [[nodiscard]] absl::StatusOr<std::vector<PriceTick>> ReadTicks() override;

 private:
  // Constant after construction.
  const std::string path_;
  const PriceCsvOptions options_;
  // The last file content parsed cleanly, and its ticks.
  std::string cached_text_;
  std::vector<PriceTick> cached_ticks_;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_PRICE_CSV_H_
