// poche engine info and poche journal verify: the engine itself and its hash-chained journal.
#include "cli/context.h"
#include "engine/journal.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

// Records per journal page: a record may carry a signed command of up to 64 KiB, and a
// page must stay under the 4 MiB message limit.
constexpr int kJournalPageSize = 50;

absl::Status RunEngineInfo(Context& context) {
  POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, context.client().Info());
  if (context.out.json()) return context.out.Json(info);
  context.out.Line(Concat("Engine at ", context.client().target()));
  const int64_t skew = LocalNowUnixMs() - info.now_unix_ms();
  context.out.Field("Engine clock",
                    Concat(FormatTimestamp(info.now_unix_ms()), " (this machine is ",
                           FormatDuration(skew), skew >= 0 ? " ahead)" : " behind)"));
  context.out.Field("Receipt key", Hex(info.receipt_public_key()));
  context.out.Field("Receipt key id", info.receipt_key_id());
  bool first = true;
  for (const std::string& operator_id : info.operator_party_ids()) {
    context.out.Field(first ? "Operators" : "", context.parties().Describe(operator_id));
    first = false;
  }
  if (first) context.out.Field("Operators", "none");
  context.out.Field("Command skew",
                    Concat("commands signed more than ", FormatDuration(info.max_command_skew_ms()),
                           " from the engine clock are refused"));
  return absl::OkStatus();
}

absl::Status RunJournalVerify(Context& context) {
  JournalVerifier verifier;
  v1::ListJournalRecordsRequest request;
  request.set_page_size(kJournalPageSize);
  POCHE_RETURN_IF_ERROR(
      context.client().ForEachPage(&v1::EscrowEngine::Stub::ListJournalRecords, request,
                                   [&](const v1::ListJournalRecordsResponse& page) {
                                     absl::Status status;
                                     for (const v1::JournalRecord& record : page.records()) {
                                       if (status.ok()) status = verifier.Add(record);
                                     }
                                     return status;
                                   }));
  if (context.out.json()) {
    return context.out.JsonObject({{"verified", "true"},
                                   {"records", Concat(verifier.records())},
                                   {"headHash", JsonString(Hex(verifier.head_hash()))}});
  }
  context.out.Line(Concat("The journal checks out: ", verifier.records(),
                          verifier.records() == 1 ? " record" : " records",
                          ", each one chained to the hash of the one before."));
  context.out.Field("Head hash", Hex(verifier.head_hash()));
  return absl::OkStatus();
}

}  // namespace

void AddEngineCommands(std::vector<CommandSpec>& table) {
  table.push_back({.group = "journal",
                   .verb = "verify",
                   .summary = "Read the whole journal and check its hash chain.",
                   .details = "Prints the number of records and the hash of the last one; "
                              "keep that hash to check\nlater that history was not rewritten.",
                   .run = RunJournalVerify});
  table.push_back({.group = "engine",
                   .verb = "info",
                   .summary = "Show the engine's clock, receipt key and operators.",
                   .run = RunEngineInfo});
}

}  // namespace argentpoche::cli
