#include "engine/envelope.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/status.h"

namespace argentpoche {
namespace {

// Most characters of an untrusted string (found tag, claimed key id) shown in an error.
constexpr size_t kMaxShownCharacters = 64;

// True for a tag that can be put in front of a newline unambiguously.
bool IsValidTag(std::string_view tag) {
  return !tag.empty() && tag.find('\n') == std::string_view::npos;
}

// `text` made safe to put in an error message: at most kMaxShownCharacters characters,
// each byte outside printable ASCII replaced by '?', with "..." when cut short.
std::string Printable(std::string_view text) {
  std::string shown;
  const size_t shown_size = std::min(text.size(), kMaxShownCharacters);
  shown.reserve(shown_size + 3);
  for (size_t index = 0; index < shown_size; ++index) {
    const char character = text[index];
    shown.push_back(character >= 0x20 && character <= 0x7e ? character : '?');
  }
  if (text.size() > kMaxShownCharacters) shown.append("...");
  return shown;
}

}  // namespace

std::string TaggedBytes(std::string_view tag, std::string_view payload) {
  POCHE_CHECK(IsValidTag(tag));
  std::string body;
  body.reserve(tag.size() + 1 + payload.size());
  body.append(tag);
  body.push_back('\n');
  body.append(payload);
  return body;
}

v1::SignedEnvelope SealEnvelope(std::string_view tag, std::string_view payload,
                                const SigningKey& key) {
  v1::SignedEnvelope envelope;
  envelope.set_body(TaggedBytes(tag, payload));
  envelope.set_signature(key.Sign(envelope.body()));
  envelope.set_key_id(key.key_id());
  return envelope;
}

absl::StatusOr<std::string> OpenEnvelope(const v1::SignedEnvelope& envelope, std::string_view tag,
                                         std::string_view public_key) {
  POCHE_CHECK(IsValidTag(tag));
  if (public_key.size() != kPublicKeyBytes) {
    return InvalidArgument("MALFORMED_KEY",
                           absl::StrCat("a public key is ", kPublicKeyBytes, " bytes, this one is ",
                                        public_key.size()));
  }
  if (envelope.signature().size() != kSignatureBytes) {
    return InvalidArgument("MALFORMED_ENVELOPE",
                           absl::StrCat("the envelope's signature is ", envelope.signature().size(),
                                        " bytes, an Ed25519 signature is ", kSignatureBytes));
  }
  const std::string expected_key_id = KeyIdOf(public_key);
  if (envelope.key_id() != expected_key_id) {
    return Unauthenticated("WRONG_KEY",
                           absl::StrCat("the envelope names key ", Printable(envelope.key_id()),
                                        ", expected key ", expected_key_id));
  }
  // Verify the exact bytes received; nothing is parsed or re-serialized before this.
  if (!VerifySignature(public_key, envelope.body(), envelope.signature())) {
    return Unauthenticated(
        "BAD_SIGNATURE",
        absl::StrCat("the signature does not match the signed bytes and key ", expected_key_id));
  }
  const std::string_view body = envelope.body();
  if (body.size() <= tag.size() || body.substr(0, tag.size()) != tag || body[tag.size()] != '\n') {
    const std::string_view found_tag = EnvelopeDomain(envelope);
    return InvalidArgument(
        "WRONG_DOMAIN",
        absl::StrCat("this was signed as a ",
                     found_tag.empty() ? std::string("(untagged)") : Printable(found_tag),
                     " message, not a ", std::string(tag)));
  }
  return std::string(body.substr(tag.size() + 1));
}

std::string_view EnvelopeDomain(const v1::SignedEnvelope& envelope) {
  const std::string_view body = envelope.body();
  const size_t newline = body.find('\n');
  if (newline == std::string_view::npos) return std::string_view();
  return body.substr(0, newline);
}

}  // namespace argentpoche
