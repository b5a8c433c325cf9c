// Throwaway X.509 certificates for tests, made at test time by the `openssl` command in
// a temporary directory: a CA, a server certificate for 127.0.0.1 and localhost, client
// certificates naming parties, and a stranger CA whose certificates the engine must not
// accept. EC P-256 keys, valid two days. Test keys only; removed with the directory.
//
//   TestCertificates certificates;
//   options.tls = certificates.ServerTls();
//   const CertificateFiles tenant = certificates.IssueClient("tenant", "",
//                                                            {PartyUri(tenant_id)});
//   auto channel = grpc::CreateChannel(target, certificates.ClientCredentials(&tenant));
//
// Not thread-safe. Aborts the test program when openssl fails (its output is printed).
#ifndef ARGENTPOCHE_TESTS_SUPPORT_TEST_CERTIFICATES_H_
#define ARGENTPOCHE_TESTS_SUPPORT_TEST_CERTIFICATES_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/server/server_credentials.h"
#include "grpcpp/security/credentials.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {

// A certificate and its private key, as files and as PEM text.
struct CertificateFiles {
  std::string certificate_file;
  std::string private_key_file;
  std::string certificate_pem;
  std::string private_key_pem;
};

// "argentpoche:party:<party_id>": how a certificate names a party.
std::string PartyUri(const std::string& party_id);

class TestCertificates {
 public:
  TestCertificates();

  const std::string& directory() const { return dir_.path(); }
  const std::string& ca_file() const { return ca_.certificate_file; }
  const CertificateFiles& ca() const { return ca_; }
  const CertificateFiles& server() const { return server_; }
  // The server's files for EngineServer (mutual TLS with this CA as the client CA).
  TlsOptions ServerTls() const;

  // A client certificate issued by this CA with subject CN `common_name` (a default
  // when empty) and `uris` as subject alternative name URIs.
  CertificateFiles IssueClient(const std::string& name, const std::string& common_name,
                               const std::vector<std::string>& uris);
  // The same, issued by a CA the engine does not trust.
  CertificateFiles IssueFromStranger(const std::string& name, const std::string& common_name);

  // TLS credentials trusting this CA, presenting `client` (none when nullptr).
  std::shared_ptr<grpc::ChannelCredentials> ClientCredentials(const CertificateFiles* client) const;

 private:
  // Runs openssl with `arguments`; aborts with its output when it fails.
  void OpenSsl(const std::string& arguments);
  CertificateFiles MakeCa(const std::string& name, const std::string& common_name);
  CertificateFiles Issue(const CertificateFiles& ca, const std::string& name,
                         const std::string& common_name, const std::string& extensions);
  CertificateFiles Load(const std::string& name) const;

  TempDir dir_;
  CertificateFiles ca_;
  CertificateFiles stranger_ca_;
  CertificateFiles server_;
  int serial_ = 1000;
};

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_TEST_CERTIFICATES_H_
