#include "engine/server/server_credentials.h"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "grpcpp/security/server_credentials.h"

namespace argentpoche {
namespace {

// The content of a PEM file; never quoted in an error.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FailedPrecondition("TLS_FILE", Concat("cannot read the ", what, " ", path));
  std::string content;
  content.reserve(4096);
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    content.append(buffer, static_cast<size_t>(in.gcount()));
    if (content.size() > limits::kMaxPemFileBytes) {
      sodium_memzero(content.data(), content.size());
      return FailedPrecondition("TLS_FILE", Concat("the ", what, " ", path, " is larger than ",
                                                   limits::kMaxPemFileBytes, " bytes"));
    }
  }
  if (content.find("-----BEGIN ") == std::string::npos) {
    sodium_memzero(content.data(), content.size());
    return FailedPrecondition("TLS_FILE", Concat("the ", what, " ", path, " holds no PEM block"));
  }
  return content;
}

}  // namespace

bool IsLoopbackAddress(std::string_view listen_address) {
  if (listen_address.starts_with("unix:") || listen_address.starts_with("unix-abstract:")) {
    return true;
  }
  std::string_view host = listen_address;
  if (host.starts_with("[")) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? 0 : host.find(']') - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsOptions& tls, std::string_view listen_address, bool allow_plaintext_remote) {
  if (!tls.any()) {
    if (!allow_plaintext_remote && !IsLoopbackAddress(listen_address)) {
      return InvalidArgument(
          "PLAINTEXT_NOT_LOOPBACK",
          Concat("without TLS the engine listens on loopback only, not ", listen_address,
                 ": give --tls_cert, --tls_key and --tls_client_ca (or "
                 "--allow_plaintext_remote behind a proxy that terminates TLS)"));
    }
    return grpc::InsecureServerCredentials();
  }
  std::vector<std::string> missing;
  if (tls.certificate_file.empty()) missing.push_back("--tls_cert");
  if (tls.private_key_file.empty()) missing.push_back("--tls_key");
  if (tls.client_ca_file.empty()) missing.push_back("--tls_client_ca");
  if (!missing.empty()) {
    std::string names;
    for (const std::string& name : missing)
      names = names.empty() ? name : Concat(names, ", ", name);
    return InvalidArgument("TLS_INCOMPLETE",
                           Concat("mutual TLS needs --tls_cert, --tls_key and --tls_client_ca "
                                  "together; missing: ",
                                  names));
  }
  POCHE_ASSIGN_OR_RETURN(std::string certificate,
                         ReadPemFile(tls.certificate_file, "server certificate"));
  POCHE_ASSIGN_OR_RETURN(std::string client_ca, ReadPemFile(tls.client_ca_file, "client CA"));
  POCHE_ASSIGN_OR_RETURN(std::string private_key,
                         ReadPemFile(tls.private_key_file, "server private key"));
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = std::move(client_ca);
  options.pem_key_cert_pairs.push_back({private_key, std::move(certificate)});
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::SslServerCredentials(options);
  // gRPC keeps its own copy; ours is not left lying in freed memory.
  sodium_memzero(private_key.data(), private_key.size());
  sodium_memzero(options.pem_key_cert_pairs[0].private_key.data(),
                 options.pem_key_cert_pairs[0].private_key.size());
  return credentials;
}

}  // namespace argentpoche
