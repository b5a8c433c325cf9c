// TEST ONLY: an issuer and cards for the card tests, made from clearly-labelled test
// seeds ("TEST SEED - NOT A REAL ..."). Anyone can rebuild every key made here; nothing
// here may personalise or certify a real card.
//
//   ManualClock clock(kTestNowMs);
//   TestIssuer issuer;
//   TestCard alice(issuer, clock, 1, {});  // personalised, certified through frames
//   PaymentSession(alice.transport(), bob.transport()).Run({"EUR", 500});
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_TESTING_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_TESTING_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/card/card_state.h"
#include "engine/card/card_store.h"
#include "engine/card/card_transport.h"
#include "engine/card/random_source.h"
#include "engine/card/reconciler.h"
#include "engine/card/software_card.h"
#include "engine/clock.h"
#include "engine/crypto.h"

namespace argentpoche::card {

// 2025-06-15T15:06:40Z, the tests' "now".
inline constexpr int64_t kTestNowMs = 1'750'000'000'000;
inline constexpr uint32_t kTestExpiryUnixS = 1'750'000'000 + 365 * 24 * 3600;

// "C" and 7 decimal digits: 8 bytes.
[[nodiscard]] std::string TestCardId(int number);

class TestIssuer {
 public:
  // Keys from SHA-256("TEST SEED - NOT A REAL ISSUER KEY: <label> generation <g>").
  explicit TestIssuer(std::string label = "issuer") : label_(std::move(label)) {}
  const SigningKey& key(uint8_t generation);
  // Every generation's public key asked for so far (for a Reconciler).
  std::map<uint8_t, std::string> public_keys() const;

 private:
  std::string label_;
  std::map<uint8_t, SigningKey> keys_;
};

struct TestCardOptions {
  std::vector<uint8_t> generations = {1};
  std::vector<Purse> purses = {{"EUR", 100'00, 1'000'00}};
  std::string pin;
  uint8_t pin_try_limit = 3;
  uint16_t max_offline_payments = 100;
  uint32_t expires_at_unix_s = kTestExpiryUnixS;
  // Which generations get a certificate (all of `generations` when empty).
  std::vector<uint8_t> certified;
};

// A card personalised by `issuer`, its key read and its certificates installed through
// frames, behind an InProcessTransport. The store is a MemoryCardStore unless one is given.
class TestCard {
 public:
  TestCard(TestIssuer& issuer, const Clock& clock, int number, const TestCardOptions& options,
           std::unique_ptr<CardStore> store = nullptr);

  SoftwareCard& card() { return *card_; }
  InProcessTransport& transport() { return transport_; }
  CardStore& store() { return *store_; }
  // The store when it is a MemoryCardStore, else nullptr.
  MemoryCardStore* memory_store() { return memory_store_; }
  const std::string& id() const { return id_; }
  const CardState& state() const { return card_->committed_state(); }
  int64_t Balance(std::string_view currency) const;

  // A reset: the card is rebuilt from its store; session and PIN verification are lost.
  // Aborts the test if the store cannot be read.
  void PowerCycle();

 private:
  const Clock& clock_;
  std::string id_;
  std::unique_ptr<CardStore> store_;
  MemoryCardStore* memory_store_ = nullptr;
  std::unique_ptr<SeededRandom> random_;
  std::unique_ptr<SoftwareCard> card_;
  InProcessTransport transport_{nullptr};
};

// A transport between a host and a card that records every frame and can spoil one
// exchange: drop the command (the card never sees it), drop the response (the card acted,
// the host never hears), deliver the command twice, or flip one byte of the command or
// of the response (XOR with `mask`). Exchanges are counted from 0 on this transport.
enum class LinkFault {
  kNone,
  kDropCommand,
  kDropResponse,
  kDuplicateCommand,
  kFlipCommandByte,
  kFlipResponseByte
};

class FaultyTransport final : public CardTransport {
 public:
  explicit FaultyTransport(CardTransport& inner) : inner_(inner) {}
  // Spoils exchange number `exchange`; `byte_index` is taken modulo the frame's length.
  void Arm(int exchange, LinkFault fault, size_t byte_index = 0, uint8_t mask = 0x01) {
    armed_exchange_ = exchange;
    fault_ = fault;
    byte_index_ = byte_index;
    mask_ = mask;
  }
  [[nodiscard]] absl::StatusOr<std::string> Transmit(std::string_view command) override;

  struct Exchange {
    std::string command;   // as sent by the host
    std::string response;  // as the host received it ("" when dropped)
  };
  const std::vector<Exchange>& exchanges() const { return exchanges_; }

 private:
  CardTransport& inner_;
  int armed_exchange_ = -1;
  LinkFault fault_ = LinkFault::kNone;
  size_t byte_index_ = 0;
  uint8_t mask_ = 0x01;
  std::vector<Exchange> exchanges_;
};

// A full sync of `card`: reads its report, submits it to `reconciler`, delivers the
// issuer's acknowledgement. Returns the refunds the report decided (appended to
// `refunds`). Aborts the test on any error.
void SyncCard(TestCard& card, TestIssuer& issuer, Reconciler& reconciler,
              std::vector<Refund>& refunds);

// After a payment of `amount` `currency` from `payer` to `payee` that may have been cut
// anywhere: syncs both cards and checks that value is conserved (the two balances plus
// the refunds decided equal `payer_before` + `payee_before`), that nothing is left
// undecided, and that either the whole payment happened or none of it (neither card
// richer than a completed payment would make it). Returns whether it happened.
bool SettleAndCheck(TestCard& payer, TestCard& payee, TestIssuer& issuer, Reconciler& reconciler,
                    const std::string& currency, int64_t amount, int64_t payer_before,
                    int64_t payee_before);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_TESTING_H_
