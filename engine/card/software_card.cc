// SoftwareCard: personalisation, power-up, frame dispatch and commits (see
// software_card.h). The instruction handlers live in card_admin.cc, card_payer.cc and
// card_payee.cc.
#include "engine/card/software_card.h"

#include <sodium.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "engine/card/card_limits.h"
#include "engine/card/pin.h"
#include "engine/check.h"
#include "engine/currency.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

absl::Status BadPersonalization(std::string_view message) {
  return InvalidArgument("BAD_PERSONALIZATION", message);
}

absl::Status CheckPersonalization(const Personalization& setup) {
  if (setup.card_id.size() != kCardIdBytes) {
    return BadPersonalization(Concat("a card id is ", kCardIdBytes, " bytes"));
  }
  if (setup.generations.empty() || setup.generations.size() > kMaxGenerations) {
    return BadPersonalization(Concat("a card holds 1 to ", kMaxGenerations, " generations"));
  }
  std::set<uint8_t> generations;
  for (const Personalization::Generation& generation : setup.generations) {
    if (generation.generation == 0 || !generations.insert(generation.generation).second ||
        generation.issuer_public_key.size() != kPublicKeyBytes) {
      return BadPersonalization("generations are distinct, non-zero, each with a 32-byte key");
    }
  }
  if (setup.purses.size() > kMaxPurses) {
    return BadPersonalization(Concat("a card holds at most ", kMaxPurses, " currencies"));
  }
  std::set<std::string> currencies;
  for (const Purse& purse : setup.purses) {
    if (!IsKnownCurrency(purse.currency) || !currencies.insert(purse.currency).second ||
        purse.balance < 0 || purse.balance > purse.max_balance ||
        purse.max_balance > kMaxCardMinorUnits) {
      return BadPersonalization(Concat("purse ", purse.currency,
                                       ": a known, distinct currency with 0 <= balance <= "
                                       "maximum balance <= 10^18 minor units"));
    }
  }
  if (!setup.pin.empty() && !IsWellFormedPin(setup.pin)) {
    return BadPersonalization(
        Concat("a PIN is ", kMinPinDigits, " to ", kMaxPinDigits, " decimal digits"));
  }
  if (setup.pin_try_limit == 0 || setup.pin_try_limit > kMaxPinTries) {
    return BadPersonalization(Concat("the PIN try limit is 1 to ", kMaxPinTries));
  }
  if (setup.max_offline_payments == 0 || setup.max_offline_payments > kMaxOfflinePayments) {
    return BadPersonalization(
        Concat("the offline payment allowance is 1 to ", kMaxOfflinePayments));
  }
  return absl::OkStatus();
}

// What a stored state must satisfy, beyond its layout.
bool IsConsistent(const CardState& state) {
  for (const Purse& purse : state.purses) {
    if (purse.balance < 0 || purse.balance > purse.max_balance) return false;
  }
  const bool pin_consistent =
      (state.pin_salt.empty() && state.pin_hash.empty()) ||
      (state.pin_salt.size() == kPinSaltBytes && state.pin_hash.size() == kPinHashBytes);
  return pin_consistent && state.counter <= kMaxCounter &&
         state.pin_tries_left <= state.pin_try_limit;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SoftwareCard>> SoftwareCard::Personalize(
    const Personalization& personalization, CardStore& store, RandomSource& random,
    const Clock& clock) {
  POCHE_RETURN_IF_ERROR(CheckPersonalization(personalization));
  CardState state;
  state.card_id = personalization.card_id;
  for (const Personalization::Generation& generation : personalization.generations) {
    KeySlot slot;
    slot.generation = generation.generation;
    slot.seed = random.Bytes(kSeedBytes);  // The card's key is born here and stays here.
    slot.issuer_public_key = generation.issuer_public_key;
    state.slots.push_back(std::move(slot));
  }
  std::sort(state.slots.begin(), state.slots.end(), [](const KeySlot& left, const KeySlot& right) {
    return left.generation < right.generation;
  });
  state.purses = personalization.purses;
  if (!personalization.pin.empty()) {
    state.pin_salt = random.Bytes(kPinSaltBytes);
    state.pin_hash = HashPin(state.pin_salt, personalization.pin);
  }
  state.pin_try_limit = personalization.pin_try_limit;
  state.pin_tries_left = personalization.pin_try_limit;
  state.max_offline_payments = personalization.max_offline_payments;
  POCHE_CHECK(IsConsistent(state));
  POCHE_RETURN_IF_ERROR(store.Save(EncodeCardState(state)));
  return std::unique_ptr<SoftwareCard>(new SoftwareCard(store, random, clock, std::move(state)));
}

absl::StatusOr<std::unique_ptr<SoftwareCard>> SoftwareCard::PowerUp(CardStore& store,
                                                                    RandomSource& random,
                                                                    const Clock& clock) {
  POCHE_ASSIGN_OR_RETURN(std::string bytes, store.Load());
  POCHE_ASSIGN_OR_RETURN(CardState state, DecodeCardState(bytes));
  sodium_memzero(bytes.data(), bytes.size());
  if (!IsConsistent(state)) {
    return Error(absl::StatusCode::kDataLoss, "CORRUPT_CARD_STATE",
                 "the stored card state breaks the card's invariants");
  }
  return std::unique_ptr<SoftwareCard>(new SoftwareCard(store, random, clock, std::move(state)));
}

SoftwareCard::SoftwareCard(CardStore& store, RandomSource& random, const Clock& clock,
                           CardState state)
    : store_(store), random_(random), clock_(clock), state_(std::move(state)) {
  for (const KeySlot& slot : state_.slots) {
    absl::StatusOr<SigningKey> key = SigningKey::FromSeed(slot.seed);
    POCHE_CHECK(key.ok());
    keys_.push_back(std::move(*key));
  }
}

std::string SoftwareCard::Process(std::string_view command) {
  absl::StatusOr<std::string> response = EncodeResponse(ProcessFrame(command));
  POCHE_CHECK(response.ok());  // Handlers never build more than a frame holds.
  return *std::move(response);
}

ResponseFrame SoftwareCard::ProcessFrame(std::string_view bytes) {
  if (broken_) return {"", sw::kMemoryFailure};
  const DecodedCommand decoded = DecodeCommand(bytes);
  if (decoded.status_word != sw::kOk) return {"", decoded.status_word};
  const uint8_t instruction = decoded.command.ins;
  const bool session_command = instruction == ins::kHello || instruction == ins::kRequest ||
                               instruction == ins::kValue || instruction == ins::kAck ||
                               instruction == ins::kClose;
  if (session_command && !session_.last_command.empty() && bytes == session_.last_command) {
    return session_.last_response;  // A duplicate: same answer, nothing changes.
  }
  ResponseFrame response = Dispatch(decoded.command);
  if (broken_) return response;
  if (!session_command) {
    if (instruction != ins::kGetBalances) EndSession();
  } else if (response.status_word == sw::kOk) {
    session_.last_command.assign(bytes);
    session_.last_response = response;
  } else {
    EndSession();
  }
  return response;
}

ResponseFrame SoftwareCard::Dispatch(const CommandFrame& command) {
  switch (command.ins) {
    case ins::kVerifyPin:
      return VerifyPin(command);
    case ins::kGetPublicKey:
      return GetPublicKey(command);
    case ins::kPutCertificate:
      return PutCertificate(command);
    case ins::kPutRevocationList:
      return PutRevocationList(command);
    case ins::kGetBalances:
      return GetBalances(command);
    case ins::kPrepareSyncReport:
      return PrepareSyncReport(command);
    case ins::kReadSyncReport:
      return ReadSyncReport(command);
    case ins::kSyncAcknowledge:
      return SyncAcknowledge(command);
    case ins::kHello:
      return Hello(command);
    case ins::kRequest:
      return Request(command);
    case ins::kValue:
      return Value(command);
    case ins::kAck:
      return Ack(command);
    case ins::kClose:
      return Close(command);
    default:
      return {"", sw::kInsNotSupported};
  }
}

uint16_t SoftwareCard::Commit(CardState next) {
  POCHE_CHECK(IsConsistent(next));
  POCHE_CHECK(next.counter >= state_.counter);  // The counter never goes back.
  if (!store_.Save(EncodeCardState(next)).ok()) {
    broken_ = true;
    EndSession();
    return sw::kMemoryFailure;
  }
  state_ = std::move(next);
  return sw::kOk;
}

int SoftwareCard::SlotOf(uint8_t generation) const {
  for (size_t index = 0; index < state_.slots.size(); ++index) {
    if (state_.slots[index].generation == generation) return static_cast<int>(index);
  }
  return -1;
}

int SoftwareCard::CertifiedSlot(uint8_t generation) const {
  for (size_t index = state_.slots.size(); index > 0; --index) {
    const KeySlot& slot = state_.slots[index - 1];
    if (!slot.certificate.empty() && (generation == 0 || slot.generation == generation)) {
      return static_cast<int>(index - 1);
    }
  }
  return -1;
}

uint16_t SoftwareCard::CheckOwnCertificate(size_t slot) const {
  const absl::StatusOr<CardCertificate> own = DecodeCertificate(state_.slots[slot].certificate);
  POCHE_CHECK(own.ok());  // Checked when installed.
  if (int64_t{own->expires_at_unix_s} * 1000 <= clock_.NowUnixMs()) {
    return sw::kCertificateExpired;
  }
  return sw::kOk;
}

uint16_t SoftwareCard::CheckPeer(const CardCertificate& peer, size_t slot) const {
  if (peer.generation != state_.slots[slot].generation) return sw::kWrongGeneration;
  const uint16_t status = CheckCertificate(peer, state_.slots[slot].issuer_public_key,
                                           clock_.NowUnixMs(), state_.revoked_card_ids);
  if (status != sw::kOk) return status;
  if (peer.card_id == state_.card_id) return sw::kConditionsNotSatisfied;  // Paying itself.
  return sw::kOk;
}

void SoftwareCard::EndSession() { session_ = Session{}; }

}  // namespace argentpoche::card
