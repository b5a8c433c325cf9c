// Structured logs: one JSON object per line, written to stderr with one write(2) so that
// lines from different threads never interleave.
//
//   LogEvent("poche-engine", "command_refused", {{"code", "PERMISSION_DENIED"},
//                                                {"reason", "CALLER_NOT_PEER"}});
//   // {"component":"poche-engine","event":"command_refused","code":"PERMISSION_DENIED",...}
//
// What may be logged: events, codes, reasons, party ids, request ids, peer addresses and
// messages the engine wrote. What must never be: key seeds or private keys, PINs,
// session keys, signatures, command bytes. Callers pass only the former; the log does
// not (and cannot) filter.
//
// Thread-safe. Tests may redirect the lines with SetLogSinkForTesting.
#ifndef ARGENTPOCHE_ENGINE_EVENT_LOG_H_
#define ARGENTPOCHE_ENGINE_EVENT_LOG_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace argentpoche {

// The component every engine line names.
inline constexpr std::string_view kEngineComponent = "poche-engine";

// One "name":"value" pair of a log line; values are always JSON strings.
struct LogField {
  std::string_view name;
  std::string value;
};

// The line (with its trailing newline) for `event` of `component` with `fields`, in the
// order given. Quotes, backslashes and control characters are escaped, so a value
// cannot break the line or forge another field.
[[nodiscard]] std::string FormatLogLine(std::string_view component, std::string_view event,
                                        std::initializer_list<LogField> fields);

// Formats the line and writes it to stderr (or to the test sink).
void LogEvent(std::string_view component, std::string_view event,
              std::initializer_list<LogField> fields);

// Sends every line to `sink` instead of stderr, until called again with nullptr; the
// sink also gets lines written by other threads. For tests only.
void SetLogSinkForTesting(std::function<void(std::string_view line)> sink);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_EVENT_LOG_H_
