// Fuzz target: signed envelopes (tests/fuzz/README.md), opened with a fixed test key
// (the fuzz tenant's) as each domain the protocol knows.
//
// Input: a mode byte, then
//   - even mode: a v1::SignedEnvelope as received. Opening must fail or give a payload
//     that is exactly the body after "<tag>\n", from a body whose signature verifies,
//     under the key's id; at most one tag opens it, and it is the one EnvelopeDomain
//     reports.
//   - odd mode: a body, signed with the key here (the fuzzer cannot sign). Opening as a
//     tag succeeds exactly when the body starts with that tag and a newline. Then the
//     body is sealed as a payload of each tag: it opens back to itself as that tag only,
//     and not once a byte of the signed body is changed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/envelope.pb.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/status.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

constexpr std::string_view kTags[] = {domain::kCommand, domain::kContractTerms,
                                      domain::kContractSignature, domain::kReceipt};

bool StartsWithTag(std::string_view body, std::string_view tag) {
  return body.size() > tag.size() && body.substr(0, tag.size()) == tag && body[tag.size()] == '\n';
}

// Opens `envelope` as every tag; checks what an opening promises. Returns how many
// tags opened it.
int OpenAsEveryTag(const v1::SignedEnvelope& envelope, const SigningKey& key) {
  int opened = 0;
  for (std::string_view tag : kTags) {
    absl::StatusOr<std::string> payload = OpenEnvelope(envelope, tag, key.public_key());
    if (!payload.ok()) {
      Check(!ReasonOf(payload.status()).empty(), "a refusal names its reason");
      continue;
    }
    ++opened;
    Check(envelope.body() == TaggedBytes(tag, *payload), "the payload is the body after the tag");
    Check(envelope.key_id() == key.key_id(), "an opened envelope names the key");
    Check(VerifySignature(key.public_key(), envelope.body(), envelope.signature()),
          "an opened envelope's signature verifies");
    Check(EnvelopeDomain(envelope) == tag, "EnvelopeDomain reports the tag that opened it");
  }
  Check(opened <= 1, "at most one domain opens an envelope");
  // A key of the wrong size never opens anything.
  Check(!OpenEnvelope(envelope, domain::kCommand, key.public_key().substr(1)).ok(),
        "a malformed key opens nothing");
  return opened;
}

void RunReceived(std::string_view bytes) {
  v1::SignedEnvelope envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  OpenAsEveryTag(envelope, KeyOf(Actor::kTenant));
}

void RunSigned(std::string_view body) {
  const SigningKey& key = KeyOf(Actor::kTenant);
  v1::SignedEnvelope envelope;
  envelope.set_body(std::string(body));
  envelope.set_signature(key.Sign(body));
  envelope.set_key_id(key.key_id());
  int expected = 0;
  for (std::string_view tag : kTags) expected += StartsWithTag(body, tag) ? 1 : 0;
  Check(OpenAsEveryTag(envelope, key) == expected, "a signed body opens as its own tag only");

  for (std::string_view tag : kTags) {
    v1::SignedEnvelope sealed = SealEnvelope(tag, body, key);
    absl::StatusOr<std::string> payload = OpenEnvelope(sealed, tag, key.public_key());
    CheckOk(payload.status(), "a sealed envelope opens");
    Check(*payload == body, "a sealed payload opens unchanged");
    Check(OpenAsEveryTag(sealed, key) == 1, "a sealed envelope opens as its tag only");
    std::string changed = sealed.body();
    changed[body.size() % changed.size()] ^= 0x01;
    sealed.set_body(changed);
    Check(OpenAsEveryTag(sealed, key) == 0, "a changed body opens as nothing");
  }
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  argentpoche::fuzz::SilenceProtobufLogs();
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    argentpoche::fuzz::RunReceived(rest);
  } else {
    argentpoche::fuzz::RunSigned(rest);
  }
  return 0;
}
