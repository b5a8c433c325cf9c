#include "cli/output.h"

#include <cctype>
#include <cstdio>
#include <vector>

#include "absl/time/time.h"
#include "cli/arguments.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace argentpoche::cli {
namespace {

constexpr size_t kLabelWidth = 16;

struct Unit {
  std::string_view suffix;
  int64_t milliseconds;
};
// Longest suffix first, so that "ms" is not read as "m".
constexpr Unit kUnits[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};

// `text` with every line after the first indented by one space (the printer's indent).
std::string IndentNested(std::string_view text) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out.push_back(' ');
  }
  return out;
}

}  // namespace

std::string FormatTimestamp(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

std::string FormatDuration(int64_t milliseconds) {
  if (milliseconds < 0) milliseconds = -milliseconds;
  if (milliseconds < 1000) return Concat(milliseconds, " ms");
  const int64_t seconds = (milliseconds + 500) / 1000;
  const int64_t days = seconds / 86400;
  const int64_t hours = seconds % 86400 / 3600;
  const int64_t minutes = seconds % 3600 / 60;
  const int64_t rest = seconds % 60;
  if (days > 0) {
    std::string text = Concat(days, days == 1 ? " day" : " days");
    return hours > 0 ? Concat(text, " ", hours, " h") : text;
  }
  if (hours > 0) return minutes > 0 ? Concat(hours, " h ", minutes, " min") : Concat(hours, " h");
  if (minutes > 0) return rest > 0 ? Concat(minutes, " min ", rest, " s") : Concat(minutes, " min");
  return Concat(rest, " s");
}

std::string FormatWhen(int64_t at_unix_ms, int64_t now_unix_ms) {
  const int64_t delta = at_unix_ms - now_unix_ms;
  if (delta >= 0) return Concat(FormatTimestamp(at_unix_ms), " (in ", FormatDuration(delta), ")");
  return Concat(FormatTimestamp(at_unix_ms), " (", FormatDuration(delta), " ago)");
}

absl::StatusOr<int64_t> ParseDuration(std::string_view text) {
  const absl::Status bad = UsageError(
      Concat("\"", text, "\" is not a duration: write for example 30s, 10m, 2h, 7d or 1h30m"),
      "BAD_DURATION");
  int64_t total = 0;
  std::string_view rest = text;
  if (rest.empty()) return bad;
  while (!rest.empty()) {
    size_t digits = 0;
    int64_t number = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
      if (number > 1'000'000'000) return bad;
      number = number * 10 + (rest[digits] - '0');
      ++digits;
    }
    if (digits == 0) return bad;
    rest.remove_prefix(digits);
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (rest.starts_with(candidate.suffix)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return bad;
    rest.remove_prefix(unit->suffix.size());
    total += number * unit->milliseconds;
    if (total > int64_t{100} * 366 * 86'400'000) return bad;
  }
  if (total <= 0) return bad;
  return total;
}

void Output::Line(std::string_view text) const {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

void Output::Field(std::string_view label, std::string_view value) const {
  const std::string head = label.empty() ? std::string("  ") : Concat("  ", label, ":");
  const size_t pad = head.size() < kLabelWidth + 2 ? kLabelWidth + 2 - head.size() : 1;
  Line(Concat(head, std::string(pad, ' '), value));
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string text;
  const auto status = google::protobuf::util::MessageToJsonString(message, &text, options);
  if (!status.ok()) {
    return Error(absl::StatusCode::kInternal, "JSON_FAILED",
                 Concat("cannot print as JSON: ", status.ToString()));
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string JsonString(std::string_view text) {
  google::protobuf::Value value;
  value.set_string_value(std::string(text));
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return "\"\"";
  return json;
}

absl::Status Output::Json(const google::protobuf::Message& message) const {
  POCHE_ASSIGN_OR_RETURN(std::string text, ToJson(message));
  Line(text);
  return absl::OkStatus();
}

absl::Status Output::MutationJson(std::string_view request_id, std::string_view field,
                                  const google::protobuf::Message& resource) const {
  POCHE_ASSIGN_OR_RETURN(std::string text, ToJson(resource));
  return JsonObject({{"requestId", JsonString(request_id)}, {std::string(field), text}});
}

absl::Status Output::JsonObject(
    const std::vector<std::pair<std::string, std::string>>& fields) const {
  std::string text = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    text = Concat(text, i == 0 ? "\n " : ",\n ", JsonString(fields[i].first), ": ",
                  IndentNested(fields[i].second));
  }
  Line(Concat(text, "\n}"));
  return absl::OkStatus();
}

}  // namespace argentpoche::cli
