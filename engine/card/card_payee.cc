// SoftwareCard, the payee's side of a transfer: REQUEST (checks the payer's hello, logs
// "awaiting", answers a request sealed under the session key and signed over the
// transcript) and ACK (checks the payer's signed value, credits, clears "awaiting",
// answers a signed acknowledgement). See docs/cards.md, "Transfer".
#include <string>
#include <utility>

#include "engine/card/card_domains.h"
#include "engine/card/card_limits.h"
#include "engine/card/session_crypto.h"
#include "engine/card/software_card.h"
#include "engine/card/transfer_messages.h"
#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/money.h"

namespace argentpoche::card {

ResponseFrame SoftwareCard::Request(const CommandFrame& command) {
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  RequestCommand asked;
  if (!DecodeRequestCommand(command.data, asked)) return {"", sw::kWrongLength};
  if (Crc16(EncodeAmount(asked.currency, asked.amount)) != asked.check) {
    return {"", sw::kWrongData};  // The amount was changed on the way from the host.
  }
  struct Hello hello;
  POCHE_CHECK(DecodeHello(asked.hello, hello));  // The length was checked with the command's.
  const absl::StatusOr<CardCertificate> peer = DecodeCertificate(hello.certificate);
  POCHE_CHECK(peer.ok());
  const int slot = peer->generation == 0 ? -1 : CertifiedSlot(peer->generation);
  if (slot < 0) return {"", sw::kWrongGeneration};
  if (const uint16_t status = CheckOwnCertificate(slot); status != sw::kOk) return {"", status};
  if (const uint16_t status = CheckPeer(*peer, slot); status != sw::kOk) return {"", status};
  const Purse* purse = FindPurse(state_, asked.currency);
  if (purse == nullptr) return {"", sw::kUnknownCurrency};
  if (asked.amount <= 0 || asked.amount > kMaxCardMinorUnits) return {"", sw::kInvalidAmount};
  const absl::StatusOr<int64_t> credited = CheckedAdd(purse->balance, asked.amount);
  if (!credited.ok() || *credited > purse->max_balance) return {"", sw::kOfflineLimit};
  if (state_.log.size() >= kMaxLogEntries) return {"", sw::kLogFull};
  if (state_.counter >= kMaxCounter) return {"", sw::kConditionsNotSatisfied};
  const absl::StatusOr<std::string> peer_static = StaticPublicFromEd25519(peer->public_key);
  if (!peer_static.ok()) return {"", sw::kWrongData};

  EphemeralKey ephemeral = MakeEphemeralKey(random_);
  absl::StatusOr<SecretBytes> shared_ee = X25519(ephemeral.secret, hello.ephemeral);
  absl::StatusOr<SecretBytes> shared_se = X25519(ephemeral.secret, *peer_static);
  if (!shared_ee.ok() || !shared_se.ok()) return {"", sw::kWrongData};
  const std::string hello_hash = TranscriptStart(asked.hello);
  struct Request request;
  request.session_id = hello_hash.substr(0, kSessionIdBytes);
  request.certificate = state_.slots[slot].certificate;
  request.ephemeral = ephemeral.public_key;
  request.counter = state_.counter;
  const std::string clear_hash = TranscriptNext(hello_hash, request.ClearPart());
  const SecretBytes key = DeriveSessionKey(*shared_ee, *shared_se, clear_hash);
  request.sealed = SealRequest(key, EncodeAmount(asked.currency, asked.amount), clear_hash);
  const std::string request_hash = TranscriptNext(clear_hash, request.sealed);
  request.signature = keys_[slot].Sign(TaggedBytes(domain::kRequest, request_hash));

  // Log "awaiting" and move the counter on in one commit, before the request leaves.
  CardState next = state_;
  next.log.push_back({LogKind::kPayeeAwaiting, state_.counter, peer->card_id, hello.counter,
                      asked.currency, asked.amount});
  ++next.counter;
  if (const uint16_t status = Commit(std::move(next)); status != sw::kOk) return {"", status};

  EndSession();
  session_.step = Step::kPayeeRequestSent;
  session_.slot = static_cast<size_t>(slot);
  session_.session_id = request.session_id;
  session_.transcript = TranscriptNext(request_hash, request.signature);
  session_.peer = *peer;
  session_.own_counter = request.counter;
  session_.peer_counter = hello.counter;
  session_.currency = asked.currency;
  session_.amount = asked.amount;
  key_fingerprint_ = KeyFingerprint(key);
  return {EncodeRequest(request), sw::kOk};
}

ResponseFrame SoftwareCard::Ack(const CommandFrame& command) {
  if (session_.step != Step::kPayeeRequestSent) return {"", sw::kConditionsNotSatisfied};
  if (command.p1 != 0 || command.p2 != 0) return {"", sw::kWrongP1P2};
  SignedStep value;
  if (!DecodeSignedStep(command.data, value)) return {"", sw::kWrongLength};
  if (value.session_id != session_.session_id) return {"", sw::kOtherSession};
  if (!VerifySignature(session_.peer.public_key, TaggedBytes(domain::kValue, session_.transcript),
                       value.signature)) {
    return {"", sw::kBadSignature};
  }
  const Purse* purse = FindPurse(state_, session_.currency);
  POCHE_CHECK(purse != nullptr);  // Checked at REQUEST; purses never disappear.
  const absl::StatusOr<int64_t> credited = CheckedAdd(purse->balance, session_.amount);
  if (!credited.ok() || *credited > purse->max_balance) return {"", sw::kOfflineLimit};

  // Credit and clear "awaiting" in one commit, before the ack leaves.
  CardState next = state_;
  FindPurse(next, session_.currency)->balance = *credited;
  const size_t erased = std::erase_if(next.log, [&](const LogEntry& entry) {
    return entry.kind == LogKind::kPayeeAwaiting && entry.counter == session_.own_counter;
  });
  POCHE_CHECK(erased == 1);
  if (const uint16_t status = Commit(std::move(next)); status != sw::kOk) return {"", status};

  const std::string ack_hash = TranscriptNext(session_.transcript, value.signature);
  const std::string signature = keys_[session_.slot].Sign(TaggedBytes(domain::kAck, ack_hash));
  session_.step = Step::kIdle;
  return {EncodeSignedStep({session_.session_id, signature}), sw::kOk};
}

}  // namespace argentpoche::card
