#include "cli/key_store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "cli/arguments.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

constexpr std::string_view kKeySuffix = ".key";
// A hex seed, a newline, and some slack for hand-edited files.
constexpr size_t kMaxKeyFileBytes = 256;

// Zeroes a string holding secret bytes before it is released.
class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { sodium_memzero(text_.data(), text_.size()); }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

absl::Status ValidateName(std::string_view name) {
  const bool valid_characters = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
  if (name.empty() || name.size() > 64 || name[0] == '.' || !valid_characters) {
    return UsageError(
        Concat("\"", name, "\" is not a key name: use 1 to 64 letters, digits, '-', '_' or '.'"),
        "BAD_KEY_NAME");
  }
  return absl::OkStatus();
}

absl::Status SystemError(std::string_view what, std::string_view path) {
  return Error(absl::StatusCode::kInternal, "IO_ERROR",
               Concat(what, " ", path, ": ", std::strerror(errno)));
}

// Creates `path` with `mode` if it does not exist, and checks it is a directory.
absl::Status MakeDirectory(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return SystemError("cannot create directory", path);
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return SystemError("cannot read", path);
  if (!S_ISDIR(info.st_mode)) {
    return FailedPrecondition("NOT_A_DIRECTORY", Concat(path, " is not a directory"));
  }
  return absl::OkStatus();
}

}  // namespace

bool LooksLikePartyId(std::string_view text) {
  return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string KeyStore::KeysDirectory() const { return Concat(home_, "/keys"); }

std::string KeyStore::PathOf(std::string_view name) const {
  return Concat(KeysDirectory(), "/", name, kKeySuffix);
}

absl::StatusOr<SigningKey> KeyStore::Create(std::string_view name) const {
  POCHE_RETURN_IF_ERROR(ValidateName(name));
  if (home_.empty()) {
    return UsageError("no home directory: set --home, POCHE_HOME or HOME", "NO_HOME");
  }
  POCHE_RETURN_IF_ERROR(MakeDirectory(home_, 0700));
  POCHE_RETURN_IF_ERROR(MakeDirectory(KeysDirectory(), 0700));
  const std::string path = PathOf(name);
  const int file = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (file < 0) {
    if (errno == EEXIST) {
      return AlreadyExists("KEY_EXISTS", Concat("there is already a key named ", name, " (", path,
                                                "); a key is never overwritten"));
    }
    return SystemError("cannot create", path);
  }
  SigningKey key = SigningKey::Generate();
  WipedString seed(key.Seed());
  WipedString text(Concat(Hex(seed.text()), "\n"));
  const bool written = fchmod(file, 0600) == 0 &&
                       write(file, text.text().data(), text.text().size()) ==
                           static_cast<ssize_t>(text.text().size()) &&
                       fsync(file) == 0;
  const absl::Status error = written ? absl::OkStatus() : SystemError("cannot write", path);
  close(file);
  if (!written) {
    unlink(path.c_str());
    return error;
  }
  return key;
}

absl::StatusOr<SigningKey> KeyStore::Load(std::string_view name) const {
  POCHE_RETURN_IF_ERROR(ValidateName(name));
  const std::string path = PathOf(name);
  const int file = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) {
    if (errno == ENOENT) {
      return NotFound("KEY_NOT_FOUND",
                      Concat("there is no key named ", name, " in ", KeysDirectory(),
                             " (create it with: poche keys new ", name, ")"));
    }
    return SystemError("cannot open", path);
  }
  struct stat info;
  if (fstat(file, &info) != 0) {
    close(file);
    return SystemError("cannot read", path);
  }
  if ((info.st_mode & 0077) != 0) {
    close(file);
    return PermissionDenied("KEY_FILE_EXPOSED", Concat("other users may read the key file ", path,
                                                       ": run chmod 600 on it"));
  }
  WipedString contents(std::string(kMaxKeyFileBytes, '\0'));
  const ssize_t size = read(file, contents.text().data(), contents.text().size());
  close(file);
  if (size < 0) return SystemError("cannot read", path);
  std::string_view hex(contents.text().data(), static_cast<size_t>(size));
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.remove_suffix(1);
  }
  absl::StatusOr<std::string> seed = FromHex(hex);
  absl::StatusOr<SigningKey> key =
      seed.ok() ? SigningKey::FromSeed(*seed) : absl::StatusOr<SigningKey>(seed.status());
  if (seed.ok()) sodium_memzero(seed->data(), seed->size());
  if (!key.ok()) {
    return FailedPrecondition("MALFORMED_KEY_FILE",
                              Concat("the key file ", path, " does not hold a 64-hex seed"));
  }
  return key;
}

absl::StatusOr<std::vector<std::string>> KeyStore::Names() const {
  std::vector<std::string> names;
  std::error_code error;
  std::filesystem::directory_iterator entries(KeysDirectory(), error);
  if (error == std::errc::no_such_file_or_directory) return names;
  if (error) {
    return Error(absl::StatusCode::kInternal, "IO_ERROR",
                 Concat("cannot list ", KeysDirectory(), ": ", error.message()));
  }
  for (const std::filesystem::directory_entry& entry : entries) {
    const std::string file_name = entry.path().filename().string();
    if (!entry.is_regular_file() || !file_name.ends_with(kKeySuffix)) continue;
    const std::string name = file_name.substr(0, file_name.size() - kKeySuffix.size());
    if (ValidateName(name).ok()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::string> KeyStore::ResolveParty(std::string_view name_or_id) const {
  if (ValidateName(name_or_id).ok() && std::filesystem::exists(PathOf(name_or_id))) {
    POCHE_ASSIGN_OR_RETURN(SigningKey key, Load(name_or_id));
    return key.key_id();
  }
  if (LooksLikePartyId(name_or_id)) return std::string(name_or_id);
  return UsageError(Concat("\"", name_or_id, "\" is neither a key in ", KeysDirectory(),
                           " nor a 16-hex party id"),
                    "UNKNOWN_PARTY");
}

std::string KeyStore::NameOf(std::string_view party_id) const {
  absl::StatusOr<std::vector<std::string>> names = Names();
  if (!names.ok()) return "";
  for (const std::string& name : *names) {
    absl::StatusOr<SigningKey> key = Load(name);
    if (key.ok() && key->key_id() == party_id) return name;
  }
  return "";
}

}  // namespace argentpoche::cli
