// ISO 7816-4 style frames (short APDUs), the card's instructions and its status words.
//
// A command is CLA INS P1 P2 [Lc data] [Le]: a 4-byte header, then optionally Lc (1 to
// 255) and that many data bytes, then optionally Le (the most response bytes wanted, 0
// meaning 256). A response is [data] SW1 SW2. Extended lengths are not supported: a
// frame never carries more than kMaxFrameDataBytes of data. docs/cards.md lists every
// instruction and status word with its meaning.
//
//   absl::StatusOr<std::string> bytes = EncodeCommand({kCla, ins::kHello, 0, 0, "", 256});
//   DecodedCommand decoded = DecodeCommand(bytes);  // decoded.status_word == sw::kOk
//
// Thread-safe: free functions on values.
#ifndef ARGENTPOCHE_ENGINE_CARD_APDU_H_
#define ARGENTPOCHE_ENGINE_CARD_APDU_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace argentpoche::card {

// The class byte of every command of this protocol (proprietary class, no secure
// messaging, no chaining).
inline constexpr uint8_t kCla = 0x80;

// Instructions.
namespace ins {
inline constexpr uint8_t kVerifyPin = 0x20;
inline constexpr uint8_t kGetPublicKey = 0xCA;
inline constexpr uint8_t kPutCertificate = 0xDA;
inline constexpr uint8_t kPutRevocationList = 0xD8;
inline constexpr uint8_t kGetBalances = 0x5C;
inline constexpr uint8_t kHello = 0x50;    // payer: starts a transfer
inline constexpr uint8_t kRequest = 0x52;  // payee: hello in, signed sealed request out
inline constexpr uint8_t kValue = 0x54;    // payer: request in, debit, signed value out
inline constexpr uint8_t kAck = 0x56;      // payee: value in, credit, signed ack out
inline constexpr uint8_t kClose = 0x58;    // payer: ack in, pending entry cleared
inline constexpr uint8_t kPrepareSyncReport = 0x60;
inline constexpr uint8_t kReadSyncReport = 0x62;
inline constexpr uint8_t kSyncAcknowledge = 0x64;
}  // namespace ins

// Status words.
namespace sw {
inline constexpr uint16_t kOk = 0x9000;
inline constexpr uint16_t kWrongLength = 0x6700;
inline constexpr uint16_t kClaNotSupported = 0x6E00;
inline constexpr uint16_t kInsNotSupported = 0x6D00;
inline constexpr uint16_t kWrongP1P2 = 0x6B00;
inline constexpr uint16_t kWrongData = 0x6A80;
inline constexpr uint16_t kUnknownCurrency = 0x6A88;
inline constexpr uint16_t kSecurityNotSatisfied = 0x6982;  // PIN not verified
inline constexpr uint16_t kPinBlocked = 0x6983;
inline constexpr uint16_t kConditionsNotSatisfied = 0x6985;  // out of sequence
inline constexpr uint16_t kMemoryFailure = 0x6581;           // nothing was changed
// Wrong PIN: 0x63C0 | tries left.
inline constexpr uint16_t kWrongPinBase = 0x63C0;
// Proprietary (SW1 = 0x9D).
inline constexpr uint16_t kOtherIssuer = 0x9D01;
inline constexpr uint16_t kCertificateExpired = 0x9D02;
inline constexpr uint16_t kCardRevoked = 0x9D03;
inline constexpr uint16_t kWrongGeneration = 0x9D04;
inline constexpr uint16_t kInsufficientFunds = 0x9D05;
inline constexpr uint16_t kOfflineLimit = 0x9D06;
inline constexpr uint16_t kBadSignature = 0x9D07;
inline constexpr uint16_t kOtherSession = 0x9D08;
inline constexpr uint16_t kLogFull = 0x9D09;
inline constexpr uint16_t kInvalidAmount = 0x9D0A;
inline constexpr uint16_t kStaleUpdate = 0x9D0B;  // revocation list or sync ack not newer
}  // namespace sw

// A short name for a status word ("OK", "WRONG_LENGTH", "WRONG_PIN(2)", ...), or
// "SW_XXXX" in hex for one this protocol does not define.
[[nodiscard]] std::string StatusWordName(uint16_t status_word);

struct CommandFrame {
  uint8_t cla = kCla;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  std::string data;  // 0 to kMaxFrameDataBytes bytes
  // The most response bytes wanted (1 to 256), or none when no data is expected.
  std::optional<uint16_t> le;
};

struct ResponseFrame {
  std::string data;
  uint16_t status_word = sw::kOk;
};

// The bytes of `command`. InvalidArgument "FRAME_TOO_LONG" when its data is longer than
// kMaxFrameDataBytes; "MALFORMED_FRAME" when le is 0 or above 256.
[[nodiscard]] absl::StatusOr<std::string> EncodeCommand(const CommandFrame& command);

// A decoded command, or the status word a card answers to bytes that are not one
// (kWrongLength: shorter than a header, Lc not matching the length, Lc = 0 with data
// (an extended length), more than a short APDU holds; kClaNotSupported: another class).
struct DecodedCommand {
  uint16_t status_word = sw::kOk;
  CommandFrame command;  // meaningful only when status_word is kOk
};
[[nodiscard]] DecodedCommand DecodeCommand(std::string_view bytes);

// The bytes of `response`. InvalidArgument "FRAME_TOO_LONG" when its data is longer than
// kMaxFrameDataBytes.
[[nodiscard]] absl::StatusOr<std::string> EncodeResponse(const ResponseFrame& response);
// A response from its bytes. InvalidArgument "MALFORMED_FRAME" when shorter than a status
// word or longer than kMaxFrameDataBytes + 2.
[[nodiscard]] absl::StatusOr<ResponseFrame> DecodeResponse(std::string_view bytes);

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_APDU_H_
