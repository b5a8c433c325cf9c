// Fuzz target: attestations submitted to an engine with registered oracles, an announced
// event and a funded cover waiting on it (tests/fuzz/README.md, attestation_world.h).
//
// The input is at most kMaxSteps steps separated by kScriptStepSeparator ("|step|"), each
// a header byte and a body, submitted one after the other as SubmitAttestation commands:
//   - (header & 7) % 5 is who signs the command: oracle A, B or C, the insurer (no oracle)
//     or the operator;
//   - with bit 0x08 set, the body is a v1::SignedEnvelope submitted as it is;
//   - otherwise the body is a v1::Attestation that this target completes and seals, so
//     that mutations reach past the signature: an empty feed or event id becomes the base
//     event's, an observation time of 0 becomes the day after the covered day, empty
//     oracle and key ids become the caller's (as oracle 0..2) and its current key's; it
//     is sealed with attestation key (header >> 4) % 6 (5: the key its key id names, when
//     it is one of attestation_world.h's; else the caller's current one).
// After every step: a refused attestation commits nothing and stores nothing; an applied
// one commits once, stores exactly one attestation, and answers with the envelope sent.
// After the input: money conserved, no account below zero, the journal verifies, and the
// cover (settled, disputed or waiting) consistent, its receipt paying exactly the lock.
//
// The flags scripts/fuzz adds are signed_command_fuzz.cc's, for the same reasons (each
// input runs the engine).
// libFuzzer flags: -entropic=0 -detect_leaks=0 -dict=tests/fuzz/protobuf.dict
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/envelope.h"
#include "engine/strings.h"
#include "tests/fuzz/attestation_world.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

constexpr size_t kMaxSteps = 8;
constexpr uint8_t kRawEnvelope = 0x08;

size_t StoredAttestations(AttestationWorld& world) {
  v1::ListAttestationsRequest request;
  request.set_feed(kAttestedFeed);
  request.set_event_id(kAttestedEvent);
  request.set_page_size(1000);
  absl::StatusOr<v1::ListAttestationsResponse> listed = world.engine().ListAttestations(request);
  CheckOk(listed.status(), "listing the event's attestations");
  return static_cast<size_t>(listed->attestations_size());
}

// The envelope of a completed, sealed attestation (see the file comment).
v1::SignedEnvelope Sealed(uint8_t header, Caller caller, std::string_view body, bool& parsed) {
  v1::Attestation attestation;
  parsed = attestation.ParseFromArray(body.data(), static_cast<int>(body.size()));
  if (!parsed) return v1::SignedEnvelope();
  const int oracle = static_cast<int>(caller) % 3;
  if (attestation.feed().empty()) attestation.set_feed(kAttestedFeed);
  if (attestation.event_id().empty()) attestation.set_event_id(kAttestedEvent);
  if (attestation.observed_at_unix_ms() == 0) attestation.set_observed_at_unix_ms(kObservedAt);
  if (attestation.oracle_party_id().empty()) {
    attestation.set_oracle_party_id(PartyKey(caller).key_id());
  }
  if (attestation.oracle_key_id().empty()) {
    attestation.set_oracle_key_id(CurrentKeyOf(oracle).key_id());
  }
  const int choice = (header >> 4) % (kAttestationKeyCount + 1);
  const SigningKey* key = &CurrentKeyOf(oracle);
  if (choice < kAttestationKeyCount) {
    key = &AttestationKey(choice);
  } else {
    for (int index = 0; index < kAttestationKeyCount; ++index) {
      if (AttestationKey(index).key_id() == attestation.oracle_key_id()) {
        key = &AttestationKey(index);
      }
    }
  }
  return SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), *key);
}

void RunStep(AttestationWorld& world, size_t step, std::string_view body) {
  const auto header = static_cast<uint8_t>(body[0]);
  body.remove_prefix(1);
  const Caller caller = CallerFromByte(header);
  v1::SignedEnvelope envelope;
  if (header & kRawEnvelope) {
    if (!envelope.ParseFromArray(body.data(), static_cast<int>(body.size()))) return;
  } else {
    bool parsed = false;
    envelope = Sealed(header, caller, body, parsed);
    if (!parsed) return;
  }
  const uint64_t commits = world.commits();
  const size_t stored = StoredAttestations(world);
  const absl::StatusOr<v1::CommandResult> result =
      world.Submit(caller, envelope, Concat("step-", step));
  if (Verbose()) {
    std::fprintf(stderr, "fuzz: attestation by caller %d: %s\n", static_cast<int>(caller),
                 result.status().ToString().c_str());
  }
  if (!result.ok()) {
    Check(world.commits() == commits, "a refused attestation commits nothing");
    Check(StoredAttestations(world) == stored, "a refused attestation stores nothing");
    return;
  }
  Check(world.commits() == commits + 1, "an applied attestation commits once");
  Check(StoredAttestations(world) == stored + 1, "an applied attestation is stored once");
  Check(result->attestation_receipt().stored().envelope().SerializeAsString() ==
            envelope.SerializeAsString(),
        "the receipt holds the envelope sent");
}

void RunInput(std::string_view script) {
  AttestationWorld& world = AttestationWorldInBaseState();
  for (size_t step = 0; step < kMaxSteps && !script.empty(); ++step) {
    const size_t end = script.find(kScriptStepSeparator);
    const std::string_view body = script.substr(0, end);
    script = end == std::string_view::npos ? std::string_view()
                                           : script.substr(end + kScriptStepSeparator.size());
    if (!body.empty()) RunStep(world, step, body);
  }
  // Unchanged, the base state is known to hold them.
  if (!world.InBaseState()) world.CheckInvariants();
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argentpoche::fuzz::RunInput(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
