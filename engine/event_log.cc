#include "engine/event_log.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/base/thread_annotations.h"
#include "engine/sync.h"

namespace argentpoche {
namespace {

constinit Mutex sink_mutex;
std::function<void(std::string_view)>* test_sink ABSL_GUARDED_BY(sink_mutex) = nullptr;

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  out.push_back('"');
  for (const char character : text) {
    const auto byte = static_cast<unsigned char>(character);
    if (character == '"' || character == '\\') {
      out.push_back('\\');
      out.push_back(character);
    } else if (character == '\n') {
      out.append("\\n");
    } else if (byte < 0x20 || byte == 0x7f) {
      out.append("\\u00");
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0xf]);
    } else {
      out.push_back(character);
    }
  }
  out.push_back('"');
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(',');
  AppendJsonString(out, name);
  out.push_back(':');
  AppendJsonString(out, value);
}

// Writes the whole line to stderr, retrying short writes.
void WriteToStderr(std::string_view line) {
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t count = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;  // nowhere to log: drop the line rather than block the engine
    written += static_cast<size_t>(count);
  }
}

}  // namespace

std::string FormatLogLine(std::string_view component, std::string_view event,
                          std::initializer_list<LogField> fields) {
  std::string line = "{";
  AppendJsonString(line, "component");
  line.push_back(':');
  AppendJsonString(line, component);
  AppendField(line, "event", event);
  for (const LogField& field : fields) AppendField(line, field.name, field.value);
  line.append("}\n");
  return line;
}

void LogEvent(std::string_view component, std::string_view event,
              std::initializer_list<LogField> fields) {
  const std::string line = FormatLogLine(component, event, fields);
  MutexLock lock(&sink_mutex);
  if (test_sink != nullptr) {
    (*test_sink)(line);
    return;
  }
  WriteToStderr(line);
}

void SetLogSinkForTesting(std::function<void(std::string_view line)> sink) {
  MutexLock lock(&sink_mutex);
  delete test_sink;
  test_sink = sink ? new std::function<void(std::string_view)>(std::move(sink)) : nullptr;
}

}  // namespace argentpoche
