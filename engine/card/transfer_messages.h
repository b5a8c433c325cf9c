// The byte layouts of the four card-to-card messages of a transfer and of the payee's
// REQUEST command data (docs/cards.md, "Messages"). All are fixed-length; a decoder
// refuses any other length, so a truncated or padded message is never half-read.
//
//   hello    (payer -> payee, 145): certificate(109) ephemeral(32) counter(4)
//   request  (payee -> payer, 240): session_id(4) certificate(109) ephemeral(32)
//                                    counter(4) sealed(27) signature(64)
//   value    (payer -> payee,  68): session_id(4) signature(64)
//   ack      (payee -> payer,  68): session_id(4) signature(64)
//   REQUEST command data     (158): currency(3) amount(8) crc16(2) hello(145)
//
// Thread-safe: free functions on values.
#ifndef ARGENTPOCHE_ENGINE_CARD_TRANSFER_MESSAGES_H_
#define ARGENTPOCHE_ENGINE_CARD_TRANSFER_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/card/card_limits.h"
#include "engine/card/certificate.h"

namespace argentpoche::card {

inline constexpr size_t kHelloBytes = kCertificateBytes + kX25519Bytes + kCounterBytes;
inline constexpr size_t kRequestPlaintextBytes = kCurrencyBytes + kAmountBytes;
inline constexpr size_t kSealedRequestBytes = kRequestPlaintextBytes + kAeadTagBytes;
inline constexpr size_t kRequestBytes = kSessionIdBytes + kCertificateBytes + kX25519Bytes +
                                        kCounterBytes + kSealedRequestBytes + kSignatureBytes;
inline constexpr size_t kSignedStepBytes = kSessionIdBytes + kSignatureBytes;
inline constexpr size_t kRequestCommandBytes =
    kCurrencyBytes + kAmountBytes + kAmountCheckBytes + kHelloBytes;
static_assert(kRequestBytes <= kMaxFrameDataBytes);
static_assert(kRequestCommandBytes <= kMaxFrameDataBytes);

struct Hello {
  std::string certificate;  // kCertificateBytes, encoded
  std::string ephemeral;    // X25519 public key
  uint32_t counter = 0;     // the payer's counter: the transfer's payer counter
};
[[nodiscard]] std::string EncodeHello(const Hello& hello);
[[nodiscard]] bool DecodeHello(std::string_view bytes, Hello& hello);

struct Request {
  std::string session_id;
  std::string certificate;  // the payee's, encoded
  std::string ephemeral;
  uint32_t counter = 0;  // the payee's counter: the transfer's payee counter
  std::string sealed;    // AEAD(currency || amount)
  std::string signature;
  // certificate || ephemeral || counter: the part the transcript takes before sealing.
  [[nodiscard]] std::string ClearPart() const;
};
[[nodiscard]] std::string EncodeRequest(const Request& request);
[[nodiscard]] bool DecodeRequest(std::string_view bytes, Request& request);

// The value and the acknowledgement: a session id and a signature over the transcript.
struct SignedStep {
  std::string session_id;
  std::string signature;
};
[[nodiscard]] std::string EncodeSignedStep(const SignedStep& step);
[[nodiscard]] bool DecodeSignedStep(std::string_view bytes, SignedStep& step);

// currency || amount (8, big-endian): the sealed request's plaintext.
[[nodiscard]] std::string EncodeAmount(std::string_view currency, int64_t amount);
[[nodiscard]] bool DecodeAmount(std::string_view bytes, std::string& currency, int64_t& amount);

// The payee's REQUEST command data: the amount its holder asks for, its CRC-16, and the
// payer's hello.
struct RequestCommand {
  std::string currency;
  int64_t amount = 0;
  uint16_t check = 0;  // Crc16(EncodeAmount(currency, amount))
  std::string hello;
};
// Computes the check. Aborts (programmer error) if currency is not 3 bytes; `hello` is
// taken as relayed (the card refuses a wrong length).
[[nodiscard]] std::string EncodeRequestCommand(std::string_view currency, int64_t amount,
                                               std::string_view hello);
[[nodiscard]] bool DecodeRequestCommand(std::string_view bytes, RequestCommand& command);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_TRANSFER_MESSAGES_H_
