#include "cli/contract_view.h"

#include <optional>

#include "cli/contract_explain.h"
#include "cli/contract_terms.h"
#include "cli/deposit_view.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {
namespace {

// The attestations of the source's event; nullopt when no oracle has announced it yet.
absl::StatusOr<std::optional<std::vector<v1::StoredAttestation>>> EventAttestations(
    Context& context, const v1::ValueSource& source) {
  v1::ListAttestationsRequest request;
  request.set_feed(source.feed());
  request.set_event_id(source.event_id());
  std::vector<v1::StoredAttestation> all;
  const absl::Status status = context.client().ForEachPage(
      &v1::EscrowEngine::Stub::ListAttestations, request,
      [&](const v1::ListAttestationsResponse& page) {
        all.insert(all.end(), page.attestations().begin(), page.attestations().end());
        return absl::OkStatus();
      });
  if (status.code() == absl::StatusCode::kNotFound) return std::nullopt;  // not announced
  if (!status.ok()) return status;
  return all;
}

std::string TemplateInWords(const std::string& template_name) {
  if (template_name == "weather_cover") return "weather cover";
  if (template_name == "conditional") return "contract with conditions";
  return template_name;
}

}  // namespace

absl::Status PrintConditionalExplanation(Context& context, const v1::Contract& contract) {
  ConditionalSnapshot snapshot;
  snapshot.contract = contract;
  POCHE_ASSIGN_OR_RETURN(snapshot.terms, SignedConditionalTerms(contract));
  POCHE_ASSIGN_OR_RETURN(snapshot.now_unix_ms, context.EngineNowUnixMs());
  for (const v1::ValueSource& source : snapshot.terms.value_sources()) {
    POCHE_ASSIGN_OR_RETURN(auto attestations, EventAttestations(context, source));
    if (attestations.has_value()) {
      snapshot.attestations[source.name()] = std::move(*attestations);
    } else {
      snapshot.unannounced_sources.insert(source.name());
    }
  }
  const PartyNamer name_of = [&](const std::string& party_id) {
    return context.parties().Name(party_id);
  };
  for (const std::string& line : ExplainConditional(snapshot, name_of)) context.out.Line(line);
  return absl::OkStatus();
}

absl::Status ShowContract(Context& context, const v1::Contract& contract) {
  POCHE_ASSIGN_OR_RETURN(const v1::ContractTerms terms, VerifiedTerms(contract));
  if (terms.has_deposit()) return ShowDepositContract(context, contract);
  POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, context.client().Info());
  context.out.Line(Concat(TemplateInWords(contract.template_()), " ", contract.id()));
  POCHE_RETURN_IF_ERROR(PrintConditionalExplanation(context, contract));
  context.out.Line(Concat("Terms hash: ", Hex(contract.terms_hash()),
                          " (matches the terms; the engine evaluates what they say)"));
  PrintSignatures(context, contract);
  if (!contract.dispute().reason().empty()) {
    context.out.Line(Concat("Dispute, ", FormatTimestamp(contract.dispute().disputed_at_unix_ms()),
                            ": ", contract.dispute().reason()));
  }
  context.out.Line("History:");
  for (const std::string& line : contract.history()) context.out.Line(Concat("  ", line));
  PrintReceipt(context, contract, CheckReceipt(contract, info), info);
  return absl::OkStatus();
}

std::string ContractSummary(const v1::Contract& contract) {
  absl::StatusOr<v1::ContractTerms> terms = VerifiedTerms(contract);
  if (!terms.ok()) return Concat(contract.template_(), " (", terms.status().message(), ")");
  absl::StatusOr<v1::Money> locked = LockedTotalOf(*terms);
  return Concat(TemplateInWords(contract.template_()), ", ",
                locked.ok() ? FormatMoney(*locked) : "an amount that does not add up");
}

}  // namespace argentpoche::cli
