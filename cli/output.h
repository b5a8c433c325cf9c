// How poche prints: text for people (aligned "Label: value" fields, times in UTC with
// how far away they are, durations in words) or, with --json, the resource as JSON via
// google::protobuf::util::MessageToJsonString. Also parses the durations people type.
#ifndef ARGENTPOCHE_CLI_OUTPUT_H_
#define ARGENTPOCHE_CLI_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace argentpoche::cli {

// "2026-11-25 09:10:03 UTC".
[[nodiscard]] std::string FormatTimestamp(int64_t unix_ms);
// "3 s", "2 min 5 s", "1 h 30 min", "7 days 2 h".
[[nodiscard]] std::string FormatDuration(int64_t milliseconds);
// FormatTimestamp(at) with how far it is from `now`: "... UTC (in 3 s)", "(5 min ago)".
[[nodiscard]] std::string FormatWhen(int64_t at_unix_ms, int64_t now_unix_ms);

// Milliseconds in "30s", "10m", "2h", "7d", "500ms" or a sum such as "1h30m". More than
// zero. Usage error "BAD_DURATION" otherwise.
[[nodiscard]] absl::StatusOr<int64_t> ParseDuration(std::string_view text);

class Output {
 public:
  explicit Output(bool json) : json_(json) {}
  bool json() const { return json_; }

  // A line of text on standard output.
  void Line(std::string_view text) const;
  // "  Label:        value", the values aligned.
  void Field(std::string_view label, std::string_view value) const;

  // The message as indented JSON, every field printed (zeros too).
  [[nodiscard]] absl::Status Json(const google::protobuf::Message& message) const;
  // {"requestId": request_id, field: resource}: what a mutating command prints, so that a
  // script can retry with the same request id.
  [[nodiscard]] absl::Status MutationJson(std::string_view request_id, std::string_view field,
                                          const google::protobuf::Message& resource) const;
  // A JSON object built from (name, JSON text) pairs printed as one document.
  [[nodiscard]] absl::Status JsonObject(
      const std::vector<std::pair<std::string, std::string>>& fields) const;

 private:
  bool json_;
};

// The message as compact JSON text (every field printed), for JsonObject.
[[nodiscard]] absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);
// `text` as a JSON string literal.
[[nodiscard]] std::string JsonString(std::string_view text);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_OUTPUT_H_
