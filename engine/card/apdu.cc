// Frame encoding and decoding, and status word names (see apdu.h).
#include "engine/card/apdu.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "engine/card/card_limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {

std::string StatusWordName(uint16_t status_word) {
  if ((status_word & 0xFFF0) == sw::kWrongPinBase) {
    return Concat("WRONG_PIN(", static_cast<int>(status_word & 0x000F), ")");
  }
  switch (status_word) {
    case sw::kOk:
      return "OK";
    case sw::kWrongLength:
      return "WRONG_LENGTH";
    case sw::kClaNotSupported:
      return "CLA_NOT_SUPPORTED";
    case sw::kInsNotSupported:
      return "INS_NOT_SUPPORTED";
    case sw::kWrongP1P2:
      return "WRONG_P1_P2";
    case sw::kWrongData:
      return "WRONG_DATA";
    case sw::kUnknownCurrency:
      return "UNKNOWN_CURRENCY";
    case sw::kSecurityNotSatisfied:
      return "PIN_REQUIRED";
    case sw::kPinBlocked:
      return "PIN_BLOCKED";
    case sw::kConditionsNotSatisfied:
      return "OUT_OF_SEQUENCE";
    case sw::kMemoryFailure:
      return "MEMORY_FAILURE";
    case sw::kOtherIssuer:
      return "OTHER_ISSUER";
    case sw::kCertificateExpired:
      return "CERTIFICATE_EXPIRED";
    case sw::kCardRevoked:
      return "CARD_REVOKED";
    case sw::kWrongGeneration:
      return "WRONG_GENERATION";
    case sw::kInsufficientFunds:
      return "INSUFFICIENT_FUNDS";
    case sw::kOfflineLimit:
      return "OFFLINE_LIMIT";
    case sw::kBadSignature:
      return "BAD_SIGNATURE";
    case sw::kOtherSession:
      return "OTHER_SESSION";
    case sw::kLogFull:
      return "LOG_FULL";
    case sw::kInvalidAmount:
      return "INVALID_AMOUNT";
    case sw::kStaleUpdate:
      return "STALE_UPDATE";
    default:
      break;
  }
  char hex[16];
  std::snprintf(hex, sizeof(hex), "SW_%04X", static_cast<unsigned>(status_word));
  return hex;
}

absl::StatusOr<std::string> EncodeCommand(const CommandFrame& command) {
  if (command.data.size() > kMaxFrameDataBytes) {
    return InvalidArgument("FRAME_TOO_LONG",
                           Concat("a command carries at most ", kMaxFrameDataBytes,
                                  " data bytes, this has ", command.data.size()));
  }
  if (command.le.has_value() && (*command.le == 0 || *command.le > 256)) {
    return InvalidArgument("MALFORMED_FRAME", "Le is between 1 and 256 bytes");
  }
  std::string bytes;
  bytes.reserve(kCommandHeaderBytes + 2 + command.data.size());
  bytes.push_back(static_cast<char>(command.cla));
  bytes.push_back(static_cast<char>(command.ins));
  bytes.push_back(static_cast<char>(command.p1));
  bytes.push_back(static_cast<char>(command.p2));
  if (!command.data.empty()) {
    bytes.push_back(static_cast<char>(command.data.size()));
    bytes.append(command.data);
  }
  if (command.le.has_value()) bytes.push_back(static_cast<char>(*command.le & 0xFF));
  return bytes;
}

DecodedCommand DecodeCommand(std::string_view bytes) {
  DecodedCommand decoded;
  if (bytes.size() < kCommandHeaderBytes ||
      bytes.size() > kCommandHeaderBytes + 1 + kMaxFrameDataBytes + 1) {
    decoded.status_word = sw::kWrongLength;
    return decoded;
  }
  CommandFrame& command = decoded.command;
  command.cla = static_cast<uint8_t>(bytes[0]);
  command.ins = static_cast<uint8_t>(bytes[1]);
  command.p1 = static_cast<uint8_t>(bytes[2]);
  command.p2 = static_cast<uint8_t>(bytes[3]);
  const std::string_view body = bytes.substr(kCommandHeaderBytes);
  if (body.size() == 1) {  // Case 2: Le only.
    const uint8_t le = static_cast<uint8_t>(body[0]);
    command.le = le == 0 ? 256 : le;
  } else if (body.size() > 1) {  // Case 3 or 4: Lc, data, optional Le.
    const size_t lc = static_cast<uint8_t>(body[0]);
    if (lc == 0 || (body.size() != 1 + lc && body.size() != 2 + lc)) {
      decoded.status_word = sw::kWrongLength;
      return decoded;
    }
    command.data.assign(body.substr(1, lc));
    if (body.size() == 2 + lc) {
      const uint8_t le = static_cast<uint8_t>(body[1 + lc]);
      command.le = le == 0 ? 256 : le;
    }
  }
  if (command.cla != kCla) decoded.status_word = sw::kClaNotSupported;
  return decoded;
}

absl::StatusOr<std::string> EncodeResponse(const ResponseFrame& response) {
  if (response.data.size() > kMaxFrameDataBytes) {
    return InvalidArgument("FRAME_TOO_LONG",
                           Concat("a response carries at most ", kMaxFrameDataBytes,
                                  " data bytes, this has ", response.data.size()));
  }
  std::string bytes = response.data;
  bytes.push_back(static_cast<char>(response.status_word >> 8));
  bytes.push_back(static_cast<char>(response.status_word & 0xFF));
  return bytes;
}

absl::StatusOr<ResponseFrame> DecodeResponse(std::string_view bytes) {
  if (bytes.size() < kStatusWordBytes || bytes.size() > kMaxFrameDataBytes + kStatusWordBytes) {
    return InvalidArgument("MALFORMED_FRAME",
                           Concat("a response is 2 to ", kMaxFrameDataBytes + kStatusWordBytes,
                                  " bytes, this is ", bytes.size()));
  }
  ResponseFrame response;
  response.data.assign(bytes.substr(0, bytes.size() - kStatusWordBytes));
  response.status_word =
      static_cast<uint16_t>((static_cast<uint8_t>(bytes[bytes.size() - 2]) << 8) |
                            static_cast<uint8_t>(bytes[bytes.size() - 1]));
  return response;
}

}  // namespace argentpoche::card
