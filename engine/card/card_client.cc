// Host-side card calls (see card_client.h).
#include "engine/card/card_client.h"

#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/card/card_limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {
namespace {

constexpr std::string_view kStatusWordPrefix = "status word ";

absl::Status Refused(std::string_view what, uint16_t status_word) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), "%04X", static_cast<unsigned>(status_word));
  return FailedPrecondition("CARD_REFUSED", Concat(what, " refused: ", kStatusWordPrefix, hex, " ",
                                                   StatusWordName(status_word)));
}

absl::Status Malformed(std::string_view what) {
  return InvalidArgument("MALFORMED_ANSWER",
                         Concat("the card's answer to ", what, " has the wrong shape"));
}

// The response data when the status word is OK.
absl::StatusOr<std::string> Expect(CardTransport& transport, const CommandFrame& command,
                                   std::string_view what) {
  POCHE_ASSIGN_OR_RETURN(ResponseFrame response, Call(transport, command));
  if (response.status_word != sw::kOk) return Refused(what, response.status_word);
  return response.data;
}

}  // namespace

absl::StatusOr<ResponseFrame> Call(CardTransport& transport, const CommandFrame& command) {
  POCHE_ASSIGN_OR_RETURN(std::string bytes, EncodeCommand(command));
  POCHE_ASSIGN_OR_RETURN(std::string response, transport.Transmit(bytes));
  absl::StatusOr<ResponseFrame> frame = DecodeResponse(response);
  if (!frame.ok()) {
    return Error(absl::StatusCode::kUnavailable, "LINK_DOWN", "the answer is not a frame");
  }
  return frame;
}

uint16_t StatusWordOf(const absl::Status& status) {
  if (ReasonOf(status) != "CARD_REFUSED") return 0;
  const std::string message(status.message());
  const size_t at = message.find(kStatusWordPrefix);
  if (at == std::string::npos) return 0;
  return static_cast<uint16_t>(
      std::stoul(message.substr(at + kStatusWordPrefix.size(), 4), nullptr, 16));
}

absl::StatusOr<CardPublicKey> ReadPublicKey(CardTransport& transport, uint8_t generation) {
  POCHE_ASSIGN_OR_RETURN(
      std::string data,
      Expect(transport, {kCla, ins::kGetPublicKey, generation, 0, "", 256}, "GET_PUBLIC_KEY"));
  if (data.size() != kCardIdBytes + kPublicKeyBytes) return Malformed("GET_PUBLIC_KEY");
  return CardPublicKey{data.substr(0, kCardIdBytes), data.substr(kCardIdBytes)};
}

absl::Status InstallCertificate(CardTransport& transport, const CardCertificate& certificate) {
  return Expect(transport,
                {kCla, ins::kPutCertificate, 0, 0, EncodeCertificate(certificate), std::nullopt},
                "PUT_CERTIFICATE")
      .status();
}

absl::Status InstallRevocationList(CardTransport& transport, const RevocationList& list) {
  return Expect(transport,
                {kCla, ins::kPutRevocationList, 0, 0, EncodeRevocationList(list), std::nullopt},
                "PUT_REVOCATION_LIST")
      .status();
}

absl::Status PresentPin(CardTransport& transport, std::string_view pin) {
  return Expect(transport, {kCla, ins::kVerifyPin, 0, 0, std::string(pin), std::nullopt},
                "VERIFY_PIN")
      .status();
}

absl::StatusOr<CardStatus> ReadCardStatus(CardTransport& transport) {
  POCHE_ASSIGN_OR_RETURN(
      std::string data,
      Expect(transport, {kCla, ins::kGetBalances, 0, 0, "", 256}, "GET_BALANCES"));
  CardStatus status;
  ByteReader reader(data);
  uint8_t purse_count = 0;
  bool ok = reader.U32(status.counter) && reader.U16(status.offline_payments) &&
            reader.U16(status.max_offline_payments) && reader.U8(status.log_entries) &&
            reader.U8(status.pin_tries_left) && reader.U8(purse_count);
  for (uint8_t index = 0; ok && index < purse_count; ++index) {
    Purse purse;
    ok = reader.Raw(kCurrencyBytes, purse.currency) && reader.I64(purse.balance) &&
         reader.I64(purse.max_balance);
    status.purses.push_back(purse);
  }
  if (!ok || !reader.done()) return Malformed("GET_BALANCES");
  return status;
}

absl::StatusOr<std::string> ReadSyncReport(CardTransport& transport, std::string_view challenge,
                                           uint8_t generation) {
  POCHE_ASSIGN_OR_RETURN(
      std::string size_bytes,
      Expect(transport, {kCla, ins::kPrepareSyncReport, generation, 0, std::string(challenge), 256},
             "PREPARE_SYNC_REPORT"));
  uint16_t size = 0;
  ByteReader reader(size_bytes);
  if (!reader.U16(size) || !reader.done() || size > kMaxSyncReportBytes) {
    return Malformed("PREPARE_SYNC_REPORT");
  }
  std::string report;
  while (report.size() < size) {
    const size_t offset = report.size();
    POCHE_ASSIGN_OR_RETURN(
        std::string chunk,
        Expect(transport,
               {kCla, ins::kReadSyncReport, static_cast<uint8_t>(offset >> 8),
                static_cast<uint8_t>(offset & 0xFF), "", static_cast<uint16_t>(kMaxFrameDataBytes)},
               "READ_SYNC_REPORT"));
    if (chunk.empty() || report.size() + chunk.size() > size) return Malformed("READ_SYNC_REPORT");
    report.append(chunk);
  }
  return report;
}

absl::Status AcknowledgeSync(CardTransport& transport, const SyncAcknowledgement& ack) {
  return Expect(transport,
                {kCla, ins::kSyncAcknowledge, 0, 0, EncodeSyncAcknowledgement(ack), std::nullopt},
                "SYNC_ACK")
      .status();
}

}  // namespace argentpoche::card
