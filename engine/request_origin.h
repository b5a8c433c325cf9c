// RequestOrigin: what the transport knows about who sent a request and how long they
// wait for it. The gRPC service fills it from the call; the Engine uses it to bind a
// signed command to the authenticated peer (mTLS), to charge rate limits, to skip
// commands whose caller stopped waiting, and to log refusals. No gRPC type appears
// here, so the engine core stays independent of the transport.
#ifndef ARGENTPOCHE_ENGINE_REQUEST_ORIGIN_H_
#define ARGENTPOCHE_ENGINE_REQUEST_ORIGIN_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace argentpoche {

struct RequestOrigin {
  // False for calls made inside the process (tools, the simulator, tests of the core):
  // no peer check, no rate limit, no call deadline and no refusal log for those.
  bool remote = false;
  // True when the transport authenticated the peer with a client certificate (mTLS):
  // a command's caller must then be one of `peer_party_ids`.
  bool peer_authenticated = false;
  // The parties the peer's certificate names (empty without mTLS).
  std::vector<std::string> peer_party_ids;
  // Who the peer is, for rate limits and logs: "tls:<certificate identity>" or
  // "address:<remote host>".
  std::string peer;
  // Milliseconds the caller still waits, measured when the request arrived; -1 when it
  // set no deadline.
  int64_t time_left_ms = -1;

  // True when `party_id` is one of the peer's identities.
  bool PeerIs(const std::string& party_id) const {
    return std::find(peer_party_ids.begin(), peer_party_ids.end(), party_id) !=
           peer_party_ids.end();
  }
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_REQUEST_ORIGIN_H_
