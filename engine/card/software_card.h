// SoftwareCard: the state machine a smart-card purse applet runs, in software. It is
// driven only by command frames (Process: bytes in, bytes out), so a real card could run
// the same protocol behind a reader (docs/cards.md).
//
// What it holds (CardState, persisted through a CardStore): its id; one Ed25519 key per
// protocol generation (two at most, old and new during a migration), generated inside it
// from its RandomSource and never output; the issuer's certificate for each key and the
// issuer key it trusts for each generation; purses (balance and maximum balance per
// currency, integer minor units); a monotonic counter; a bounded exception log; an
// optional PIN with a retry limit; an offline-payment allowance; a revocation list.
// Transient (lost on reset, as a card's RAM): the transfer session, whether the PIN was
// verified, the last sync report prepared.
//
// What it promises:
//   - A command's effects are saved (CardStore::Save, atomic) before its response is
//     returned: a payer debits and logs "pending" before the value leaves it; a payee
//     logs "awaiting" before its request leaves it and credits before its ack leaves.
//   - A refused command changes nothing persistent (the failed PIN try counter aside)
//     and answers a status word that says why. A refused session command ends the session.
//   - The exact same session command received twice gets the same response twice and
//     changes nothing the second time.
//   - If a save fails, the card answers kMemoryFailure and refuses everything until it is
//     reset (PowerUp again), since the store may hold the old state or the new one.
//
//   std::unique_ptr<SoftwareCard> card = *SoftwareCard::Personalize(setup, store, random, clock);
//   std::string response = card->Process(command_bytes);
//
// Thread-safety: not thread-safe (a card serves one reader). The store, random source
// and clock are borrowed and must outlive the card.
#ifndef ARGENTPOCHE_ENGINE_CARD_SOFTWARE_CARD_H_
#define ARGENTPOCHE_ENGINE_CARD_SOFTWARE_CARD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/card/apdu.h"
#include "engine/card/card_state.h"
#include "engine/card/card_store.h"
#include "engine/card/certificate.h"
#include "engine/card/random_source.h"
#include "engine/card/session_crypto.h"
#include "engine/clock.h"
#include "engine/crypto.h"

namespace argentpoche::card {

// What the issuer writes into a blank card before issuing it. Balances set here stand
// for value already loaded (the issuer's offline account must carry them).
struct Personalization {
  struct Generation {
    uint8_t generation = 1;
    std::string issuer_public_key;  // the issuer key that certifies this generation
  };
  std::string card_id;                  // kCardIdBytes
  std::vector<Generation> generations;  // 1 or 2, distinct, non-zero
  std::vector<Purse> purses;            // known ISO 4217 codes, 0 <= balance <= max
  std::string pin;                      // empty: no PIN; else kMinPinDigits..kMaxPinDigits
  uint8_t pin_try_limit = 3;            // 1..kMaxPinTries
  uint16_t max_offline_payments = 100;  // 1..kMaxOfflinePayments
};

class SoftwareCard {
 public:
  // A new card: checks `personalization`, generates a key per generation inside the card
  // from `random`, and saves the state. InvalidArgument "BAD_PERSONALIZATION" (the
  // message says which field) or the store's error.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SoftwareCard>> Personalize(
      const Personalization& personalization, CardStore& store, RandomSource& random,
      const Clock& clock);
  // The card whose state `store` holds, as after a reset: no session, PIN not verified.
  // The store's errors, or DataLoss "CORRUPT_CARD_STATE".
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SoftwareCard>> PowerUp(CardStore& store,
                                                                             RandomSource& random,
                                                                             const Clock& clock);

  SoftwareCard(const SoftwareCard&) = delete;
  SoftwareCard& operator=(const SoftwareCard&) = delete;

  // Executes one command frame and returns the response frame's bytes (data, SW1 SW2).
  [[nodiscard]] std::string Process(std::string_view command);

  // For tests and diagnostics only (a real card has no such door): the committed state
  // (it holds the key seeds: never print it), and a hash of the last session key.
  [[nodiscard]] const CardState& committed_state() const { return state_; }
  [[nodiscard]] const std::string& session_key_fingerprint() const { return key_fingerprint_; }

 private:
  enum class Step { kIdle, kPayerHelloSent, kPayerValueSent, kPayeeRequestSent };

  // The transfer in progress (transient).
  struct Session {
    Step step = Step::kIdle;
    size_t slot = 0;  // index in state_.slots of the generation in use
    EphemeralKey ephemeral;
    std::string session_id;
    std::string transcript;  // the running transcript hash
    CardCertificate peer;
    uint32_t own_counter = 0;
    uint32_t peer_counter = 0;
    std::string currency;
    int64_t amount = 0;
    // The last session command accepted and its response, answered again to a duplicate.
    std::string last_command;
    ResponseFrame last_response;
  };

  SoftwareCard(CardStore& store, RandomSource& random, const Clock& clock, CardState state);

  ResponseFrame ProcessFrame(std::string_view bytes);
  ResponseFrame Dispatch(const CommandFrame& command);

  // Administration and sync (card_admin.cc).
  ResponseFrame VerifyPin(const CommandFrame& command);
  ResponseFrame GetPublicKey(const CommandFrame& command);
  ResponseFrame PutCertificate(const CommandFrame& command);
  ResponseFrame PutRevocationList(const CommandFrame& command);
  ResponseFrame GetBalances(const CommandFrame& command);
  ResponseFrame PrepareSyncReport(const CommandFrame& command);
  ResponseFrame ReadSyncReport(const CommandFrame& command);
  ResponseFrame SyncAcknowledge(const CommandFrame& command);
  // The payer's side (card_payer.cc).
  ResponseFrame Hello(const CommandFrame& command);
  ResponseFrame Value(const CommandFrame& command);
  ResponseFrame Close(const CommandFrame& command);
  // The payee's side (card_payee.cc).
  ResponseFrame Request(const CommandFrame& command);
  ResponseFrame Ack(const CommandFrame& command);

  // Saves `next` and makes it the committed state: kOk, or kMemoryFailure after which
  // the card refuses everything until reset.
  [[nodiscard]] uint16_t Commit(CardState next);
  // The slot of `generation` with a certificate installed (0: the newest such), or -1.
  [[nodiscard]] int CertifiedSlot(uint8_t generation) const;
  // The slot of `generation` (certified or not), or -1.
  [[nodiscard]] int SlotOf(uint8_t generation) const;
  // The checks every transfer step makes on a peer certificate and on this card's own.
  [[nodiscard]] uint16_t CheckPeer(const CardCertificate& peer, size_t slot) const;
  [[nodiscard]] uint16_t CheckOwnCertificate(size_t slot) const;
  void EndSession();

  // Constant after construction.
  CardStore& store_;
  RandomSource& random_;
  const Clock& clock_;
  std::vector<SigningKey> keys_;  // one per slot, derived from the slot's seed

  CardState state_;  // the committed state
  bool broken_ = false;
  bool pin_verified_ = false;
  Session session_;
  std::string sync_report_;
  std::string key_fingerprint_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_SOFTWARE_CARD_H_
