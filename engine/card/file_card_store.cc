// The file card store (see file_card_store.h).
#include "engine/card/file_card_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/card/card_limits.h"
#include "engine/crypto.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

constexpr std::string_view kMagic = "APCARD01";

absl::Status Failed(std::string_view what, std::string_view path) {
  return Error(absl::StatusCode::kUnavailable, "CARD_STORE_FAILED",
               Concat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status Crashed(std::string_view step) {
  return Error(absl::StatusCode::kUnavailable, "CARD_STORE_FAILED",
               Concat("simulated crash before ", step));
}

absl::Status Corrupt(std::string_view path) {
  return Error(absl::StatusCode::kDataLoss, "CORRUPT_CARD_STATE",
               Concat("the card state file ", path, " is damaged"));
}

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

absl::StatusOr<std::string> FileCardStore::Load() {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return NotFound("NO_CARD_STATE", "this card has no state file");
  if (fd < 0) return Failed("cannot open", path_);
  std::string contents;
  char buffer[4096];
  const size_t max_size = kMagic.size() + 4 + kMaxStateBytes + kSha256Bytes;
  while (contents.size() <= max_size) {
    const ssize_t read = ::read(fd, buffer, sizeof(buffer));
    if (read < 0 && errno == EINTR) continue;
    if (read < 0) {
      ::close(fd);
      return Failed("cannot read", path_);
    }
    if (read == 0) break;
    contents.append(buffer, static_cast<size_t>(read));
  }
  ::close(fd);
  ByteReader reader(contents);
  std::string_view magic;
  uint32_t length = 0;
  std::string_view state;
  std::string_view digest;
  if (!reader.Raw(kMagic.size(), magic) || magic != kMagic || !reader.U32(length) ||
      length > kMaxStateBytes || !reader.Raw(length, state) || !reader.Raw(kSha256Bytes, digest) ||
      !reader.done() || Sha256(state) != digest) {
    return Corrupt(path_);
  }
  return std::string(state);
}

absl::Status FileCardStore::Save(std::string_view state) {
  ByteWriter file;
  file.Raw(kMagic).U32(static_cast<uint32_t>(state.size())).Raw(state).Raw(Sha256(state));
  const std::string temp_path = path_ + ".tmp";
  if (CrashBefore(SaveStep::kCreateTemp)) return Crashed("creating the temporary file");
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("cannot create", temp_path);
  if (CrashBefore(SaveStep::kWriteTemp)) {
    (void)WriteAll(fd, std::string_view(file.bytes()).substr(0, file.bytes().size() / 2));
    ::close(fd);
    return Crashed("writing all of the temporary file");
  }
  if (!WriteAll(fd, file.bytes())) {
    ::close(fd);
    return Failed("cannot write", temp_path);
  }
  if (CrashBefore(SaveStep::kSyncTemp)) {
    ::close(fd);
    return Crashed("syncing the temporary file");
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return Failed("cannot sync", temp_path);
  }
  if (::close(fd) != 0) return Failed("cannot close", temp_path);
  if (CrashBefore(SaveStep::kRename)) return Crashed("renaming");
  if (::rename(temp_path.c_str(), path_.c_str()) != 0) return Failed("cannot rename", temp_path);
  if (CrashBefore(SaveStep::kSyncDirectory)) return Crashed("syncing the directory");
  const std::string directory = DirectoryOf(path_);
  const int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd < 0) return Failed("cannot open", directory);
  const bool synced = ::fsync(directory_fd) == 0;
  ::close(directory_fd);
  if (!synced) return Failed("cannot sync", directory);
  return absl::OkStatus();
}

}  // namespace argentpoche::card
