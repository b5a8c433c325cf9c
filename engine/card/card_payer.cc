// SoftwareCard, the payer's side of a transfer: HELLO (certificate, ephemeral key,
// counter), VALUE (checks the payee's signed, sealed request, debits, logs "pending",
// signs the value), CLOSE (checks the payee's signed ack, clears "pending"). See
// docs/cards.md, "Transfer".
#include <string>
#include <utility>

#include "engine/card/card_domains.h"
#include "engine/card/card_limits.h"
#include "engine/card/session_crypto.h"
#include "engine/card/software_card.h"
#include "engine/card/transfer_messages.h"
#include "engine/check.h"
#include "engine/envelope.h"

namespace argentpoche::card {

ResponseFrame SoftwareCard::Hello(const CommandFrame& command) {
  if (command.p2 != 0) return {"", sw::kWrongP1P2};
  if (!command.data.empty()) return {"", sw::kWrongLength};
  if (!state_.pin_hash.empty()) {
    if (state_.pin_tries_left == 0) return {"", sw::kPinBlocked};
    if (!pin_verified_) return {"", sw::kSecurityNotSatisfied};
  }
  const int slot = CertifiedSlot(command.p1);
  if (slot < 0) return {"", sw::kWrongGeneration};
  if (const uint16_t status = CheckOwnCertificate(slot); status != sw::kOk) return {"", status};
  if (state_.log.size() >= kMaxLogEntries) return {"", sw::kLogFull};
  if (state_.offline_payments >= state_.max_offline_payments) return {"", sw::kOfflineLimit};
  if (state_.counter >= kMaxCounter) return {"", sw::kConditionsNotSatisfied};

  EndSession();
  session_.ephemeral = MakeEphemeralKey(random_);
  session_.slot = static_cast<size_t>(slot);
  session_.own_counter = state_.counter;
  const std::string hello =
      EncodeHello({state_.slots[slot].certificate, session_.ephemeral.public_key, state_.counter});
  session_.transcript = TranscriptStart(hello);
  session_.session_id = session_.transcript.substr(0, kSessionIdBytes);
  session_.step = Step::kPayerHelloSent;
  return {hello, sw::kOk};
}

ResponseFrame SoftwareCard::Value(const CommandFrame& command) {
  if (session_.step != Step::kPayerHelloSent) return {"", sw::kConditionsNotSatisfied};
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  struct Request request;
  if (!DecodeRequest(command.data, request)) return {"", sw::kWrongLength};
  if (request.session_id != session_.session_id) return {"", sw::kOtherSession};
  const absl::StatusOr<CardCertificate> peer = DecodeCertificate(request.certificate);
  POCHE_CHECK(peer.ok());  // The length was checked with the request's.
  if (const uint16_t status = CheckPeer(*peer, session_.slot); status != sw::kOk) {
    return {"", status};
  }
  const SecretBytes seed(state_.slots[session_.slot].seed);
  const SecretBytes static_secret = StaticSecretFromSeed(seed);
  absl::StatusOr<SecretBytes> shared_ee = X25519(session_.ephemeral.secret, request.ephemeral);
  absl::StatusOr<SecretBytes> shared_se = X25519(static_secret, request.ephemeral);
  if (!shared_ee.ok() || !shared_se.ok()) return {"", sw::kWrongData};
  const std::string clear_hash = TranscriptNext(session_.transcript, request.ClearPart());
  const SecretBytes key = DeriveSessionKey(*shared_ee, *shared_se, clear_hash);
  const std::string request_hash = TranscriptNext(clear_hash, request.sealed);
  if (!VerifySignature(peer->public_key, TaggedBytes(domain::kRequest, request_hash),
                       request.signature)) {
    return {"", sw::kBadSignature};
  }
  const absl::StatusOr<std::string> plaintext = OpenRequest(key, request.sealed, clear_hash);
  std::string currency;
  int64_t amount = 0;
  if (!plaintext.ok() || !DecodeAmount(*plaintext, currency, amount)) return {"", sw::kWrongData};

  const Purse* purse = FindPurse(state_, currency);
  if (purse == nullptr) return {"", sw::kUnknownCurrency};
  if (amount <= 0 || amount > kMaxCardMinorUnits) return {"", sw::kInvalidAmount};
  if (amount > purse->balance) return {"", sw::kInsufficientFunds};
  if (state_.offline_payments >= state_.max_offline_payments) return {"", sw::kOfflineLimit};
  if (state_.log.size() >= kMaxLogEntries) return {"", sw::kLogFull};
  POCHE_CHECK(state_.counter == session_.own_counter);  // Nothing committed mid-session.

  // Debit and log "pending" in one commit, before the value leaves the card.
  CardState next = state_;
  FindPurse(next, currency)->balance -= amount;
  next.log.push_back(
      {LogKind::kPayerPending, state_.counter, peer->card_id, request.counter, currency, amount});
  ++next.counter;
  ++next.offline_payments;
  if (const uint16_t status = Commit(std::move(next)); status != sw::kOk) return {"", status};

  const std::string value_hash = TranscriptNext(request_hash, request.signature);
  const std::string signature = keys_[session_.slot].Sign(TaggedBytes(domain::kValue, value_hash));
  session_.transcript = TranscriptNext(value_hash, signature);
  session_.peer = *peer;
  session_.peer_counter = request.counter;
  session_.currency = currency;
  session_.amount = amount;
  session_.step = Step::kPayerValueSent;
  key_fingerprint_ = KeyFingerprint(key);
  return {EncodeSignedStep({session_.session_id, signature}), sw::kOk};
}

ResponseFrame SoftwareCard::Close(const CommandFrame& command) {
  if (session_.step != Step::kPayerValueSent) return {"", sw::kConditionsNotSatisfied};
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  SignedStep ack;
  if (!DecodeSignedStep(command.data, ack)) return {"", sw::kWrongLength};
  if (ack.session_id != session_.session_id) return {"", sw::kOtherSession};
  if (!VerifySignature(session_.peer.public_key, TaggedBytes(domain::kAck, session_.transcript),
                       ack.signature)) {
    return {"", sw::kBadSignature};
  }
  CardState next = state_;
  const size_t erased = std::erase_if(next.log, [&](const LogEntry& entry) {
    return entry.kind == LogKind::kPayerPending && entry.counter == session_.own_counter;
  });
  POCHE_CHECK(erased == 1);
  if (const uint16_t status = Commit(std::move(next)); status != sw::kOk) return {"", status};
  session_.step = Step::kIdle;
  return {"", sw::kOk};
}

}  // namespace argentpoche::card
