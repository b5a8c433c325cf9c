#include "cli/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "cli/client.h"
#include "engine/command_signing.h"
#include "engine/envelope.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

absl::Status MakePrivateDirectory(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(absl::StatusCode::kInternal, "IO_ERROR",
                 Concat("cannot create directory ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// Writes `bytes` to `path` atomically (a temporary file renamed over it), mode 0600.
absl::Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = Concat(path, ".tmp");
  const int file = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool written =
      file >= 0 && write(file, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  written = written && fsync(file) == 0;
  if (file >= 0) close(file);
  if (!written || rename(temporary.c_str(), path.c_str()) != 0) {
    unlink(temporary.c_str());
    return Error(absl::StatusCode::kInternal, "IO_ERROR",
                 Concat("cannot save the signed command in ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// The command inside a signed command this client made itself, or nullopt.
std::optional<v1::Command> CommandOf(const v1::SignedCommand& request) {
  const std::string& body = request.envelope().body();
  const std::string prefix = TaggedBytes(domain::kCommand, "");
  v1::Command command;
  if (!body.starts_with(prefix) || !command.ParseFromString(body.substr(prefix.size()))) {
    return std::nullopt;
  }
  return command;
}

}  // namespace

std::string Outbox::PathOf(const SigningKey& key, const std::string& request_id) const {
  // Request ids are free text: the file is named by a hash of it.
  return Concat(home_, "/requests/", key.key_id(), "/", Hex(Sha256(request_id).substr(0, 16)),
                ".signed");
}

absl::StatusOr<PreparedCommand> Outbox::SignAfresh(const SigningKey& key,
                                                   const v1::Command& command) const {
  PreparedCommand prepared;
  prepared.signed_at_unix_ms = LocalNowUnixMs();
  prepared.request = SignCommand(command, key, prepared.signed_at_unix_ms);
  if (home_.empty()) return prepared;
  POCHE_RETURN_IF_ERROR(MakePrivateDirectory(home_));
  POCHE_RETURN_IF_ERROR(MakePrivateDirectory(Concat(home_, "/requests")));
  POCHE_RETURN_IF_ERROR(MakePrivateDirectory(Concat(home_, "/requests/", key.key_id())));
  POCHE_RETURN_IF_ERROR(
      WriteFileAtomically(PathOf(key, command.request_id()), prepared.request.SerializeAsString()));
  return prepared;
}

absl::StatusOr<PreparedCommand> Outbox::Prepare(const SigningKey& key,
                                                const v1::Command& command) const {
  if (!home_.empty()) {
    std::ifstream file(PathOf(key, command.request_id()), std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    PreparedCommand saved;
    if (file.is_open() && saved.request.ParseFromString(bytes.str())) {
      const std::optional<v1::Command> first = CommandOf(saved.request);
      if (first.has_value() && first->request_id() == command.request_id() &&
          first->caller_party_id() == key.key_id() &&
          first->action_case() == command.action_case()) {
        saved.resent = true;
        saved.signed_at_unix_ms = first->issued_at_unix_ms();
        return saved;
      }
    }
  }
  return SignAfresh(key, command);
}

void Outbox::Forget(const SigningKey& key, const std::string& request_id) const {
  if (!home_.empty()) unlink(PathOf(key, request_id).c_str());
}

}  // namespace argentpoche::cli
