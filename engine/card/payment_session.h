// PaymentSession: the host's driver of one card-to-card payment. It holds no keys and
// sees nothing secret: it asks the payer card for its hello, gives the payee card the
// amount its holder asks for with that hello, and relays each card's answer to the
// other (request, value, ack) until the payer card closes the transfer. It counts the
// exchanges (command/response pairs), the card-to-card messages and the bytes.
//
//   PaymentSession session(payer_transport, payee_transport);
//   PaymentOutcome outcome = session.Run({"EUR", 1250});
//   if (!outcome.status.ok()) ... // outcome.failed_step, outcome.status_word say why
//
// It never retries: a refusal or a broken link ends the payment, and the cards' exception
// logs say what each did (the issuer's Reconciler settles it).
//
// Thread-safety: one Run at a time. The transports are borrowed and must outlive it.
#ifndef ARGENTPOCHE_ENGINE_CARD_PAYMENT_SESSION_H_
#define ARGENTPOCHE_ENGINE_CARD_PAYMENT_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "engine/card/card_transport.h"

namespace argentpoche::card {

struct PaymentOrder {
  PaymentOrder(std::string currency_code, int64_t minor_units)
      : currency(std::move(currency_code)), amount(minor_units) {}

  std::string currency;  // ISO 4217 alpha-3
  int64_t amount = 0;    // minor units
  // The generation to run (0: the payer card's newest).
  uint8_t generation = 0;
  // The payer holder's PIN, presented first when not empty (one more exchange).
  std::string payer_pin;
};

// The steps, in order; a step names the instruction sent.
enum class PaymentStep { kVerifyPin, kHello, kRequest, kValue, kAck, kClose, kDone };
[[nodiscard]] const char* PaymentStepName(PaymentStep step);

struct PaymentOutcome {
  // OK when the payer closed the transfer. Otherwise Unavailable "LINK_DOWN" (the link
  // failed at failed_step) or FailedPrecondition "CARD_REFUSED" (a card answered
  // status_word) or InvalidArgument "FRAME_TOO_LONG" (a card's answer cannot be relayed).
  absl::Status status;
  PaymentStep failed_step = PaymentStep::kDone;
  uint16_t status_word = 0;
  // Whether the payee card answered its ack, i.e. credited the value.
  bool payee_credited = false;
  int exchanges = 0;             // command/response pairs with either card
  int relayed_messages = 0;      // card-to-card messages carried: hello, request, value, ack
  size_t message_bytes = 0;      // their bytes
  size_t payer_frame_bytes = 0;  // bytes of commands to and responses from the payer
  size_t payee_frame_bytes = 0;  // the same with the payee
  [[nodiscard]] size_t frame_bytes() const { return payer_frame_bytes + payee_frame_bytes; }
};

class PaymentSession {
 public:
  PaymentSession(CardTransport& payer, CardTransport& payee) : payer_(payer), payee_(payee) {}
  [[nodiscard]] PaymentOutcome Run(const PaymentOrder& order);

 private:
  CardTransport& payer_;
  CardTransport& payee_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_PAYMENT_SESSION_H_
