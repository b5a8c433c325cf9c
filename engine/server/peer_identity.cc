#include "engine/server/peer_identity.h"

#include <algorithm>
#include <chrono>

#include "engine/limits.h"
#include "engine/strings.h"
#include "grpc/grpc_security_constants.h"

namespace argentpoche {
namespace {

// Party ids are 16 lowercase hex digits (KeyIdOf).
bool IsPartyId(std::string_view text) {
  return text.size() == 16 && std::all_of(text.begin(), text.end(), [](char character) {
           return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f');
         });
}

std::vector<std::string> PropertyValues(const grpc::AuthContext& auth, const char* name) {
  std::vector<std::string> values;
  for (const grpc::string_ref& value : auth.FindPropertyValues(name)) {
    values.emplace_back(value.data(), value.size());
  }
  return values;
}

}  // namespace

std::string PartyIdInCertificateName(std::string_view name, bool bare_allowed) {
  if (name.starts_with(kPartyIdentityPrefix)) {
    const std::string_view id = name.substr(kPartyIdentityPrefix.size());
    return IsPartyId(id) ? std::string(id) : "";
  }
  return bare_allowed && IsPartyId(name) ? std::string(name) : "";
}

std::vector<std::string> PartyIdsOfPeer(const grpc::AuthContext& auth) {
  std::vector<std::string> parties;
  if (!auth.IsPeerAuthenticated()) return parties;
  for (const std::string& name : PropertyValues(auth, GRPC_X509_CN_PROPERTY_NAME)) {
    std::string id = PartyIdInCertificateName(name, /*bare_allowed=*/true);
    if (!id.empty()) parties.push_back(std::move(id));
  }
  for (const std::string& name : PropertyValues(auth, GRPC_X509_SAN_PROPERTY_NAME)) {
    std::string id = PartyIdInCertificateName(name, /*bare_allowed=*/false);
    if (!id.empty()) parties.push_back(std::move(id));
  }
  std::sort(parties.begin(), parties.end());
  parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
  return parties;
}

std::string HostOfPeer(std::string_view peer) {
  for (const std::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (!peer.starts_with(scheme)) continue;
    const std::string_view address = peer.substr(scheme.size());
    const size_t colon = address.rfind(':');
    return std::string(colon == std::string_view::npos ? address : address.substr(0, colon));
  }
  return std::string(peer);
}

RequestOrigin OriginOfCall(const grpc::CallbackServerContext& context, bool mutual_tls) {
  RequestOrigin origin;
  origin.remote = true;
  origin.peer_authenticated = mutual_tls;
  const std::string host = HostOfPeer(context.peer());
  if (mutual_tls) {
    const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
    if (auth != nullptr) origin.peer_party_ids = PartyIdsOfPeer(*auth);
    std::string identity;
    for (const std::string& party : origin.peer_party_ids) {
      identity = identity.empty() ? party : Concat(identity, ",", party);
    }
    if (identity.empty() && auth != nullptr) {
      const std::vector<std::string> names = PropertyValues(*auth, GRPC_X509_CN_PROPERTY_NAME);
      if (!names.empty()) identity = Concat("cn=", names.front());
    }
    origin.peer = identity.empty() ? Concat("address:", host) : Concat("tls:", identity);
  } else {
    origin.peer = Concat("address:", host);
  }
  const std::chrono::system_clock::time_point deadline = context.deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::system_clock::now());
    origin.time_left_ms = std::clamp<int64_t>(left.count(), 0, limits::kMaxDeadlineAheadMs);
  }
  return origin;
}

}  // namespace argentpoche
