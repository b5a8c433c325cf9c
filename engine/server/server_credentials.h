// The transport credentials of the engine's gRPC server: mutual TLS from three PEM
// files (the server's certificate chain and key, and the CA that issues client
// certificates), or plaintext on loopback.
//
//   ASSIGN_OR_RETURN(auto credentials, ServerCredentialsFor(tls, "127.0.0.1:7400", false));
//
// Thread-safe: free functions.
#ifndef ARGENTPOCHE_ENGINE_SERVER_SERVER_CREDENTIALS_H_
#define ARGENTPOCHE_ENGINE_SERVER_SERVER_CREDENTIALS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace argentpoche {

// PEM files for mutual TLS: all three, or none.
struct TlsOptions {
  // The server's certificate chain and private key.
  std::string certificate_file;
  std::string private_key_file;
  // The CA whose certificates clients must present.
  std::string client_ca_file;

  bool any() const {
    return !certificate_file.empty() || !private_key_file.empty() || !client_ca_file.empty();
  }
};

// True for "127.0.0.1:7400", "localhost:7400", "[::1]:7400" and "unix:..." addresses.
[[nodiscard]] bool IsLoopbackAddress(std::string_view listen_address);

// Credentials that require and verify a client certificate issued by the client CA
// (GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY), or plaintext when `tls`
// names no file. INVALID_ARGUMENT "TLS_INCOMPLETE" when only some files are named,
// "PLAINTEXT_NOT_LOOPBACK" for plaintext on a non-loopback `listen_address` unless
// `allow_plaintext_remote`; FAILED_PRECONDITION "TLS_FILE" for a file that cannot be
// read or holds no PEM block. The private key read from disk is wiped from memory once
// gRPC has its copy; no message ever quotes a file's content.
[[nodiscard]] absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsOptions& tls, std::string_view listen_address, bool allow_plaintext_remote);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SERVER_SERVER_CREDENTIALS_H_
