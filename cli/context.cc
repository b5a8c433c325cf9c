#include "cli/context.h"

#include <chrono>
#include <cstdio>

#include "cli/time_text.h"
#include "engine/money.h"
#include "engine/strings.h"

namespace argentpoche::cli {

Context::Context(Invocation parsed)
    : invocation(std::move(parsed)), keys(invocation.global.home), out(invocation.global.json) {}

int64_t Context::NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EngineClient& Context::client() {
  if (client_ == nullptr) {
    ClientTls tls;
    tls.ca_file = invocation.global.tls_ca;
    tls.certificate_file = invocation.global.tls_cert;
    tls.private_key_file = invocation.global.tls_key;
    client_ = std::make_unique<EngineClient>(invocation.global.engine, tls);
  }
  return *client_;
}

PartyDirectory& Context::parties() {
  if (parties_ == nullptr) parties_ = std::make_unique<PartyDirectory>(client(), keys);
  return *parties_;
}

bool Context::Has(std::string_view flag) const { return invocation.flags.contains(flag); }

std::string Context::Flag(std::string_view flag, std::string_view fallback) const {
  auto found = invocation.flags.find(flag);
  return found == invocation.flags.end() ? std::string(fallback) : found->second;
}

std::vector<std::string> Context::Flags(std::string_view flag) const {
  auto found = invocation.repeated_flags.find(flag);
  if (found != invocation.repeated_flags.end()) return found->second;
  if (Has(flag)) return {Flag(flag)};
  return {};
}

const std::string& Context::RequestId() {
  if (!request_id_.has_value()) {
    request_id_ = Has("request-id") ? Flag("request-id") : Hex(RandomBytes(16));
  }
  return *request_id_;
}

absl::StatusOr<SigningKey> Context::SignerKey() const {
  if (!Has("key")) return UsageError("this command needs --key NAME: the key that signs it");
  return keys.Load(Flag("key"));
}

absl::StatusOr<std::string> Context::Party(std::string_view name_or_id) const {
  return keys.ResolveParty(name_or_id);
}

absl::StatusOr<std::string> Context::Account(std::string_view text,
                                             std::string_view currency) const {
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view owner = text.substr(0, colon);
    if (owner == "float" || owner == "hold" || owner == "offline" || LooksLikePartyId(owner)) {
      return std::string(text);
    }
    POCHE_ASSIGN_OR_RETURN(std::string party_id, Party(owner));
    return Concat(party_id, text.substr(colon));
  }
  if (currency.empty()) {
    return UsageError(
        Concat("\"", text, "\" is not an account id: write PARTY:CURRENCY, e.g. ", text, ":EUR"));
  }
  POCHE_ASSIGN_OR_RETURN(std::string party_id, Party(text));
  return Concat(party_id, ":", currency);
}

absl::StatusOr<std::string> Context::PartyFlag(std::string_view flag) const {
  if (!Has(flag)) return UsageError(Concat("--", flag, " is needed"));
  return Party(Flag(flag));
}

absl::StatusOr<v1::Money> Context::AmountFlag(std::string_view flag,
                                              std::string_view default_currency) const {
  if (!Has(flag)) return UsageError(Concat("--", flag, " is needed"));
  const std::string text = Flag(flag);
  const std::string currency = Flag("currency", default_currency);
  if (text.find(' ') == std::string::npos && currency.empty()) {
    return UsageError(Concat("--", flag, " ", text, " needs a currency: add --currency EUR"));
  }
  absl::StatusOr<Money> amount =
      text.find(' ') != std::string::npos ? ParseMoney(text) : ParseMoney(text, currency);
  if (!amount.ok()) return AsUsageError(amount.status(), Concat("--", flag, ": "));
  if (!currency.empty() && amount->currency() != currency) {
    return UsageError(
        Concat("--", flag, " is in ", amount->currency(), " but the currency is ", currency),
        "CURRENCY_MISMATCH");
  }
  return amount->ToProto();
}

absl::StatusOr<int64_t> Context::DurationFlag(std::string_view flag) const {
  if (!Has(flag)) return UsageError(Concat("--", flag, " is needed"));
  absl::StatusOr<int64_t> duration = ParseDuration(Flag(flag));
  if (!duration.ok()) return AsUsageError(duration.status(), Concat("--", flag, ": "));
  return duration;
}

absl::StatusOr<int64_t> Context::EngineNowUnixMs() {
  if (!engine_now_unix_ms_.has_value()) {
    POCHE_ASSIGN_OR_RETURN(v1::EngineInfo info, client().Info());
    engine_now_unix_ms_ = info.now_unix_ms();
  }
  return *engine_now_unix_ms_;
}

absl::StatusOr<int64_t> Context::TimeFlag(std::string_view flag) {
  if (!Has(flag)) return UsageError(Concat("--", flag, " is needed"));
  const std::string text = Flag(flag);
  int64_t now = 0;
  if (IsRelativeTime(text)) {
    POCHE_ASSIGN_OR_RETURN(now, EngineNowUnixMs());
  }
  absl::StatusOr<int64_t> time = ParseTimeText(text, now);
  if (!time.ok()) return AsUsageError(time.status(), Concat("--", flag, ": "));
  return time;
}

}  // namespace argentpoche::cli
