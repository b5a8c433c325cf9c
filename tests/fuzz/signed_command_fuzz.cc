// Fuzz target: signed commands into the engine (tests/fuzz/README.md).
//
// The first byte of the input picks the mode:
//   - even: what a client sends. The second byte is the method, as the number of the
//     Command action field it takes (10 RegisterParty ... 28 RevealPreimage, 30
//     RegisterOracle ... 34 SubmitAttestation; any other number is no method); the rest is
//     a v1::SignedCommand, verified and executed as is.
//   - odd: a script of commands signed by the fuzz cast, to reach past the signature
//     checks. The rest is at most kMaxSteps steps separated by kScriptStepSeparator
//     ("|step|", so that mutations inside a step keep the others whole), each a header
//     byte and a body:
//       below 0xE0: the signer (header % 5: operator, tenant, landlord, arbiter,
//         stranger); the body is a serialized v1::Command, signed by that actor (at
//         its own issued_at if it has one, else at the clock's time) and executed;
//       0xE0 and up: the clock moves 2^(header & 0x1F) seconds forward and every
//         deadline then due fires.
//     Ids the fuzzer cannot guess are filled in when left empty: a contract id is the
//     last contract created by the script (else the base state's funded deposit), a
//     hold id the last hold created (else the base hold), and a SignContract's
//     signature is the signer's real signature of that contract's terms. For oracles: a
//     RegisterOracle names the arbiter and its own key when it names no party and no key,
//     a RotateOracleKey the signer; a SubmitAttestation whose envelope has no signature
//     carries an Attestation as its body, which is completed (the signer as oracle, its
//     key as the attestation key) and sealed with the signer's key.
// After every command: a refused command commits nothing, and a contract answered by an
// applied one (not a retry) is stored as answered and consistent (FuzzEngine::
// CheckContract; conditional contracts: fuzz_conditional_checks.h). After the input: the invariants
// of FuzzEngine::CheckInvariants (money conserved, journal verifies, ...).
//
// Flags scripts/fuzz adds for this target: each input runs the engine, so libFuzzer's
// entropic scheduler costs more than the input itself (every run reports thousands of
// features; -entropic=0 runs about 7 times more inputs). libFuzzer's leak check after an
// input runs while the engine's threads still do, and LeakSanitizer does not see a
// pointer a running thread holds only in a vector register: once in some 7500 inputs it
// reported the responder thread's fresh queue as leaked, a report no rerun reproduced.
// The replay tests (ASan build, leak checking on, the engine closed first) check these
// inputs for leaks instead. The dictionary gives integer fields their extreme values.
// libFuzzer flags: -entropic=0 -detect_leaks=0 -dict=tests/fuzz/protobuf.dict
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.pb.h"
#include "engine/command_signing.h"
#include "engine/envelope.h"
#include "google/protobuf/descriptor.h"
#include "tests/fuzz/fuzz_engine.h"

namespace argentpoche::fuzz {
namespace {

constexpr size_t kMaxSteps = 16;
constexpr uint8_t kFirstClockHeader = 0xE0;

// The method whose action field has number `number`, or ACTION_NOT_SET.
v1::Command::ActionCase MethodOfNumber(uint8_t number) {
  const google::protobuf::FieldDescriptor* field =
      v1::Command::descriptor()->FindFieldByNumber(number);
  if (field == nullptr || field->containing_oneof() == nullptr) return v1::Command::ACTION_NOT_SET;
  return static_cast<v1::Command::ActionCase>(number);
}

// Executes `run` and checks that a refused command commits nothing and that a contract
// an applied command answered with is stored as answered.
template <typename Run>
absl::StatusOr<v1::CommandResult> Checked(FuzzEngine& fuzz, Run run) {
  const uint64_t commits = fuzz.commits();
  absl::StatusOr<v1::CommandResult> result = run();
  if (result.ok()) {
    // One commit, or none for a retry answered from the first time: then the answer is
    // the contract as it was, which may have moved on since.
    Check(fuzz.commits() <= commits + 1, "an applied command commits once");
    const bool applied = fuzz.commits() == commits + 1;
    if (applied && result->has_contract()) fuzz.CheckContract(result->contract());
  } else {
    Check(fuzz.commits() == commits, "a refused command commits nothing");
  }
  return result;
}

void RunRaw(FuzzEngine& fuzz, const uint8_t* data, size_t size) {
  if (size < 1) return;
  const v1::Command::ActionCase method = MethodOfNumber(data[0]);
  v1::SignedCommand request;
  if (!request.ParseFromArray(data + 1, static_cast<int>(size - 1))) return;
  const absl::StatusOr<v1::CommandResult> result =
      Checked(fuzz, [&] { return fuzz.engine().Execute(request, method); });
  if (Verbose()) {
    std::fprintf(stderr, "fuzz: signed command sent to %s: %s\n", MethodOf(method).c_str(),
                 result.status().ToString().c_str());
  }
}

// The oracle commands' part of FillIn (see the file comment).
void FillInOracle(Actor signer, v1::Command& command) {
  switch (command.action_case()) {
    case v1::Command::kRegisterOracle: {
      v1::RegisterOracle* action = command.mutable_register_oracle();
      if (action->party_id().empty() && action->public_key().empty()) {
        action->set_party_id(PartyIdOf(Actor::kArbiter));
        action->set_public_key(KeyOf(Actor::kArbiter).public_key());
      }
      break;
    }
    case v1::Command::kRotateOracleKey:
      if (command.rotate_oracle_key().party_id().empty()) {
        command.mutable_rotate_oracle_key()->set_party_id(PartyIdOf(signer));
      }
      break;
    case v1::Command::kSubmitAttestation: {
      v1::SignedEnvelope* envelope = command.mutable_submit_attestation()->mutable_attestation();
      v1::Attestation attestation;
      if (!envelope->signature().empty() || !attestation.ParseFromString(envelope->body())) break;
      if (attestation.oracle_party_id().empty()) attestation.set_oracle_party_id(PartyIdOf(signer));
      if (attestation.oracle_key_id().empty()) attestation.set_oracle_key_id(PartyIdOf(signer));
      *envelope =
          SealEnvelope(domain::kAttestation, attestation.SerializeAsString(), KeyOf(signer));
      break;
    }
    default:
      break;
  }
}

// Fills in what the script left empty and the fuzzer cannot guess.
void FillIn(FuzzEngine& fuzz, Actor signer, const std::string& contract_id,
            const std::string& hold_id, v1::Command& command) {
  auto fill = [](std::string* field, const std::string& value) {
    if (field->empty()) *field = value;
  };
  switch (command.action_case()) {
    case v1::Command::kReleaseHold:
      fill(command.mutable_release_hold()->mutable_hold_id(), hold_id);
      break;
    case v1::Command::kVoidHold:
      fill(command.mutable_void_hold()->mutable_hold_id(), hold_id);
      break;
    case v1::Command::kSignContract: {
      v1::SignContract* action = command.mutable_sign_contract();
      fill(action->mutable_contract_id(), contract_id);
      if (action->signature().empty()) {
        absl::StatusOr<v1::Contract> contract = fuzz.engine().GetContract(action->contract_id());
        if (contract.ok()) {
          action->set_signature(SignContractTerms(contract->terms_hash(), KeyOf(signer)));
        }
      }
      break;
    }
    case v1::Command::kFundContract:
      fill(command.mutable_fund_contract()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kProposeSplit:
      fill(command.mutable_propose_split()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kAcceptSplit:
      fill(command.mutable_accept_split()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kDisputeContract:
      fill(command.mutable_dispute_contract()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kDecideContract:
      fill(command.mutable_decide_contract()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kEndorseContract:
      fill(command.mutable_endorse_contract()->mutable_contract_id(), contract_id);
      break;
    case v1::Command::kRevealPreimage:
      fill(command.mutable_reveal_preimage()->mutable_contract_id(), contract_id);
      break;
    default:
      FillInOracle(signer, command);
      break;
  }
}

void RunScript(FuzzEngine& fuzz, std::string_view script) {
  std::string contract_id = BaseContractId();
  std::string hold_id = BaseHoldId();
  for (size_t step = 0; step < kMaxSteps && !script.empty(); ++step) {
    const size_t end = script.find(kScriptStepSeparator);
    const std::string_view body = script.substr(0, end);
    script = end == std::string_view::npos ? std::string_view()
                                           : script.substr(end + kScriptStepSeparator.size());
    if (body.empty()) continue;
    const auto header = static_cast<uint8_t>(body[0]);
    if (header >= kFirstClockHeader) {
      fuzz.AdvanceAndFire(int64_t{1000} << (header & 0x1F));
      continue;
    }
    v1::Command command;
    if (!command.ParseFromArray(body.data() + 1, static_cast<int>(body.size() - 1))) continue;
    const Actor signer = ActorFromByte(header);
    FillIn(fuzz, signer, contract_id, hold_id, command);
    absl::StatusOr<v1::CommandResult> result =
        Checked(fuzz, [&] { return fuzz.Run(command, signer); });
    if (!result.ok()) continue;
    if (result->has_contract()) contract_id = result->contract().id();
    if (result->has_hold()) hold_id = result->hold().id();
  }
}

}  // namespace
}  // namespace argentpoche::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using argentpoche::fuzz::FuzzEngine;
  if (size < 1) return 0;
  FuzzEngine& fuzz = argentpoche::fuzz::EngineInBaseState();
  if (data[0] % 2 == 0) {
    argentpoche::fuzz::RunRaw(fuzz, data + 1, size - 1);
  } else {
    argentpoche::fuzz::RunScript(
        fuzz, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  }
  // Unchanged, the base state is known to hold them.
  if (!fuzz.InBaseState()) fuzz.CheckInvariants();
  return 0;
}
