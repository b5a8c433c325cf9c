// The host's payment driver (see payment_session.h).
#include "engine/card/payment_session.h"

#include <string>
#include <string_view>

#include "engine/card/apdu.h"
#include "engine/card/card_limits.h"
#include "engine/card/transfer_messages.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

// One exchange: sends `command` over `transport`, counts it, and returns the response
// data, or fills `outcome` with why there is none.
bool Exchange(CardTransport& transport, PaymentStep step, const CommandFrame& command,
              bool to_payer, PaymentOutcome& outcome, std::string& data) {
  outcome.failed_step = step;
  const absl::StatusOr<std::string> bytes = EncodeCommand(command);
  if (!bytes.ok()) {
    outcome.status = bytes.status();
    return false;
  }
  ++outcome.exchanges;
  size_t& counted = to_payer ? outcome.payer_frame_bytes : outcome.payee_frame_bytes;
  counted += bytes->size();
  const absl::StatusOr<std::string> response_bytes = transport.Transmit(*bytes);
  if (!response_bytes.ok()) {
    outcome.status = response_bytes.status();
    return false;
  }
  counted += response_bytes->size();
  const absl::StatusOr<ResponseFrame> response = DecodeResponse(*response_bytes);
  if (!response.ok()) {
    outcome.status = Error(absl::StatusCode::kUnavailable, "LINK_DOWN",
                           Concat(PaymentStepName(step), ": the answer is not a frame"));
    return false;
  }
  outcome.status_word = response->status_word;
  if (response->status_word != sw::kOk) {
    outcome.status = FailedPrecondition(
        "CARD_REFUSED",
        Concat(PaymentStepName(step), " refused by the ", to_payer ? "payer" : "payee",
               " card: ", StatusWordName(response->status_word)));
    return false;
  }
  data = response->data;
  return true;
}

}  // namespace

const char* PaymentStepName(PaymentStep step) {
  switch (step) {
    case PaymentStep::kVerifyPin:
      return "VERIFY_PIN";
    case PaymentStep::kHello:
      return "HELLO";
    case PaymentStep::kRequest:
      return "REQUEST";
    case PaymentStep::kValue:
      return "VALUE";
    case PaymentStep::kAck:
      return "ACK";
    case PaymentStep::kClose:
      return "CLOSE";
    case PaymentStep::kDone:
      return "DONE";
  }
  return "?";
}

PaymentOutcome PaymentSession::Run(const PaymentOrder& order) {
  PaymentOutcome outcome;
  if (order.currency.size() != kCurrencyBytes) {
    outcome.status = InvalidArgument("UNKNOWN_CURRENCY", "a currency is a 3-letter ISO 4217 code");
    outcome.failed_step = PaymentStep::kRequest;
    return outcome;
  }
  std::string unused;
  if (!order.payer_pin.empty() &&
      !Exchange(payer_, PaymentStep::kVerifyPin,
                {kCla, ins::kVerifyPin, 0, 0, order.payer_pin, std::nullopt}, true, outcome,
                unused)) {
    return outcome;
  }
  std::string hello;
  if (!Exchange(payer_, PaymentStep::kHello, {kCla, ins::kHello, order.generation, 0, "", 256},
                true, outcome, hello)) {
    return outcome;
  }
  ++outcome.relayed_messages;
  outcome.message_bytes += hello.size();
  std::string request;
  if (!Exchange(payee_, PaymentStep::kRequest,
                {kCla, ins::kRequest, 0, 0,
                 EncodeRequestCommand(order.currency, order.amount, hello), 256},
                false, outcome, request)) {
    return outcome;
  }
  ++outcome.relayed_messages;
  outcome.message_bytes += request.size();
  std::string value;
  if (!Exchange(payer_, PaymentStep::kValue, {kCla, ins::kValue, 0, 0, request, 256}, true, outcome,
                value)) {
    return outcome;
  }
  ++outcome.relayed_messages;
  outcome.message_bytes += value.size();
  std::string ack;
  if (!Exchange(payee_, PaymentStep::kAck, {kCla, ins::kAck, 0, 0, value, 256}, false, outcome,
                ack)) {
    return outcome;
  }
  outcome.payee_credited = true;
  ++outcome.relayed_messages;
  outcome.message_bytes += ack.size();
  if (!Exchange(payer_, PaymentStep::kClose, {kCla, ins::kClose, 0, 0, ack, std::nullopt}, true,
                outcome, unused)) {
    return outcome;
  }
  outcome.failed_step = PaymentStep::kDone;
  outcome.status = absl::OkStatus();
  return outcome;
}

}  // namespace argentpoche::card
