// What the gRPC layer knows about a caller, turned into the engine's RequestOrigin: the
// parties named by the client certificate (mTLS), a stable name of the peer for rate
// limits and logs, and the time left before the call's deadline.
//
// A client certificate names party P by its subject common name or by a subject
// alternative name URI, either written "argentpoche:party:P"; a common name that is a
// bare party id (16 lowercase hex digits) names it too. A certificate may name several
// parties (a gateway acting for a few accounts); there is no wildcard. Other names are
// ignored: such a certificate may read but not act.
//
// Thread-safe: free functions.
#ifndef ARGENTPOCHE_ENGINE_SERVER_PEER_IDENTITY_H_
#define ARGENTPOCHE_ENGINE_SERVER_PEER_IDENTITY_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/request_origin.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/server_context.h"

namespace argentpoche {

// The prefix of a party identity in a certificate.
inline constexpr std::string_view kPartyIdentityPrefix = "argentpoche:party:";

// The party id in `name` ("argentpoche:party:P", or P itself when `bare_allowed`), or
// "" when it names none.
[[nodiscard]] std::string PartyIdInCertificateName(std::string_view name, bool bare_allowed);

// The parties the peer's verified certificate names, sorted, without duplicates.
[[nodiscard]] std::vector<std::string> PartyIdsOfPeer(const grpc::AuthContext& auth);

// The host part of a gRPC peer string: "ipv4:10.0.0.7:5123" -> "10.0.0.7",
// "ipv6:[::1]:5123" -> "[::1]"; other forms are returned whole.
[[nodiscard]] std::string HostOfPeer(std::string_view peer);

// The origin of a call. With `mutual_tls` the peer is authenticated by its certificate
// (a peer without one never gets this far: the TLS handshake refuses it).
[[nodiscard]] RequestOrigin OriginOfCall(const grpc::CallbackServerContext& context,
                                         bool mutual_tls);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SERVER_PEER_IDENTITY_H_
