// Sync reports and acknowledgements (see sync_report.h).
#include "engine/card/sync_report.h"

#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/card/card_domains.h"
#include "engine/card/card_limits.h"
#include "engine/card/certificate.h"
#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

constexpr uint8_t kReportVersion = 1;

std::string ReportBody(const SyncReport& report) {
  POCHE_CHECK(report.balances.size() <= kMaxPurses && report.log.size() <= kMaxLogEntries);
  ByteWriter writer;
  writer.U8(kReportVersion)
      .Raw(report.certificate)
      .Raw(report.challenge)
      .U32(report.counter)
      .U16(report.offline_payments);
  writer.U8(static_cast<uint8_t>(report.balances.size()));
  for (const PurseBalance& purse : report.balances) writer.Raw(purse.currency).I64(purse.balance);
  writer.U8(static_cast<uint8_t>(report.log.size()));
  for (const LogEntry& entry : report.log) writer.Raw(EncodeLogEntry(entry));
  return writer.Take();
}

std::string AcknowledgementBody(const SyncAcknowledgement& ack) {
  ByteWriter writer;
  writer.U8(ack.generation).Raw(ack.card_id).U32(ack.counter);
  return writer.Take();
}

}  // namespace

std::string SyncReportSignedBytes(const SyncReport& report) {
  return TaggedBytes(domain::kSyncReport, ReportBody(report));
}

std::string EncodeSyncReport(const SyncReport& report) {
  std::string bytes = ReportBody(report) + report.signature;
  POCHE_CHECK(bytes.size() <= kMaxSyncReportBytes);
  return bytes;
}

absl::StatusOr<SyncReport> DecodeSyncReport(std::string_view bytes) {
  SyncReport report;
  ByteReader reader(bytes);
  uint8_t version = 0;
  uint8_t purse_count = 0;
  bool ok = bytes.size() <= kMaxSyncReportBytes && reader.U8(version) &&
            version == kReportVersion && reader.Raw(kCertificateBytes, report.certificate) &&
            reader.Raw(kChallengeBytes, report.challenge) && reader.U32(report.counter) &&
            reader.U16(report.offline_payments) && reader.U8(purse_count) &&
            purse_count <= kMaxPurses;
  for (uint8_t index = 0; ok && index < purse_count; ++index) {
    PurseBalance purse;
    ok = reader.Raw(kCurrencyBytes, purse.currency) && reader.I64(purse.balance);
    report.balances.push_back(purse);
  }
  uint8_t log_count = 0;
  ok = ok && reader.U8(log_count) && log_count <= kMaxLogEntries;
  for (uint8_t index = 0; ok && index < log_count; ++index) {
    std::string_view entry_bytes;
    ok = reader.Raw(kLogEntryBytes, entry_bytes);
    if (!ok) break;
    absl::StatusOr<LogEntry> entry = DecodeLogEntry(entry_bytes);
    ok = entry.ok();
    if (ok) report.log.push_back(*entry);
  }
  ok = ok && reader.Raw(kSignatureBytes, report.signature) && reader.done();
  if (!ok) {
    return InvalidArgument("MALFORMED_SYNC_REPORT",
                           "the sync report's layout is wrong or exceeds a card's bounds");
  }
  return report;
}

SyncAcknowledgement IssueSyncAcknowledgement(uint8_t generation, std::string_view card_id,
                                             uint32_t counter, const SigningKey& issuer_key) {
  POCHE_CHECK(card_id.size() == kCardIdBytes);
  SyncAcknowledgement ack;
  ack.generation = generation;
  ack.card_id.assign(card_id);
  ack.counter = counter;
  ack.signature =
      issuer_key.Sign(TaggedBytes(domain::kSyncAcknowledgement, AcknowledgementBody(ack)));
  return ack;
}

std::string EncodeSyncAcknowledgement(const SyncAcknowledgement& ack) {
  return AcknowledgementBody(ack) + ack.signature;
}

bool DecodeSyncAcknowledgement(std::string_view bytes, SyncAcknowledgement& ack) {
  ByteReader reader(bytes);
  return bytes.size() == kSyncAcknowledgementBytes && reader.U8(ack.generation) &&
         reader.Raw(kCardIdBytes, ack.card_id) && reader.U32(ack.counter) &&
         reader.Raw(kSignatureBytes, ack.signature) && reader.done();
}

bool VerifySyncAcknowledgement(const SyncAcknowledgement& ack, std::string_view issuer_public_key) {
  return VerifySignature(issuer_public_key,
                         TaggedBytes(domain::kSyncAcknowledgement, AcknowledgementBody(ack)),
                         ack.signature);
}

}  // namespace argentpoche::card
