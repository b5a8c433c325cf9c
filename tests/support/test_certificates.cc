#include "tests/support/test_certificates.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/check.h"
#include "engine/server/peer_identity.h"
#include "engine/strings.h"

namespace argentpoche::testing {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  POCHE_CHECK(out.flush());
}

// A configuration of our own, so the machine's openssl.cnf does not matter.
constexpr char kRequestConfig[] =
    "[req]\n"
    "distinguished_name = subject\n"
    "prompt = no\n"
    "[subject]\n"
    "CN = ARGENT POCHE test\n"
    "[ca_extensions]\n"
    "basicConstraints = critical, CA:TRUE\n"
    "keyUsage = critical, keyCertSign, cRLSign\n"
    "subjectKeyIdentifier = hash\n";

}  // namespace

std::string PartyUri(const std::string& party_id) { return Concat(kPartyIdentityPrefix, party_id); }

TestCertificates::TestCertificates() {
  WriteText(dir_.path() + "/request.cnf", kRequestConfig);
  ca_ = MakeCa("ca", "ARGENT POCHE test CA");
  stranger_ca_ = MakeCa("stranger-ca", "Stranger CA");
  server_ = Issue(ca_, "server", "localhost",
                  "basicConstraints = CA:FALSE\n"
                  "keyUsage = critical, digitalSignature, keyEncipherment\n"
                  "extendedKeyUsage = serverAuth\n"
                  "subjectAltName = DNS:localhost, IP:127.0.0.1\n");
}

void TestCertificates::OpenSsl(const std::string& arguments) {
  const std::string output = dir_.path() + "/openssl.out";
  const std::string command =
      Concat("cd ", dir_.path(), " && openssl ", arguments, " >", output, " 2>&1");
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "openssl %s failed:\n%s\n", arguments.c_str(), ReadText(output).c_str());
    std::abort();
  }
}

CertificateFiles TestCertificates::Load(const std::string& name) const {
  CertificateFiles files;
  files.certificate_file = Concat(dir_.path(), "/", name, ".pem");
  files.private_key_file = Concat(dir_.path(), "/", name, ".key");
  files.certificate_pem = ReadText(files.certificate_file);
  files.private_key_pem = ReadText(files.private_key_file);
  POCHE_CHECK(!files.certificate_pem.empty() && !files.private_key_pem.empty());
  return files;
}

CertificateFiles TestCertificates::MakeCa(const std::string& name, const std::string& common_name) {
  OpenSsl(
      Concat("req -x509 -config request.cnf -extensions ca_extensions -newkey ec -pkeyopt "
             "ec_paramgen_curve:prime256v1 -nodes -sha256 -days 2 -subj '/CN=",
             common_name, "' -keyout ", name, ".key -out ", name, ".pem"));
  return Load(name);
}

CertificateFiles TestCertificates::Issue(const CertificateFiles& ca, const std::string& name,
                                         const std::string& common_name,
                                         const std::string& extensions) {
  WriteText(Concat(dir_.path(), "/", name, ".ext"), extensions);
  OpenSsl(
      Concat("req -new -config request.cnf -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
             "-nodes -subj '/CN=",
             common_name, "' -keyout ", name, ".key -out ", name, ".csr"));
  OpenSsl(Concat("x509 -req -in ", name, ".csr -CA ", ca.certificate_file, " -CAkey ",
                 ca.private_key_file, " -set_serial ", ++serial_, " -sha256 -days 2 -extfile ",
                 name, ".ext -out ", name, ".pem"));
  return Load(name);
}

CertificateFiles TestCertificates::IssueClient(const std::string& name,
                                               const std::string& common_name,
                                               const std::vector<std::string>& uris) {
  std::string extensions =
      "basicConstraints = CA:FALSE\n"
      "keyUsage = critical, digitalSignature\n"
      "extendedKeyUsage = clientAuth\n";
  std::string names;
  for (const std::string& uri : uris) names = Concat(names, names.empty() ? "" : ", ", "URI:", uri);
  if (!names.empty()) extensions = Concat(extensions, "subjectAltName = ", names, "\n");
  return Issue(ca_, name, common_name.empty() ? Concat("client ", name) : common_name, extensions);
}

CertificateFiles TestCertificates::IssueFromStranger(const std::string& name,
                                                     const std::string& common_name) {
  return Issue(stranger_ca_, name, common_name,
               "basicConstraints = CA:FALSE\n"
               "extendedKeyUsage = clientAuth\n");
}

TlsOptions TestCertificates::ServerTls() const {
  TlsOptions tls;
  tls.certificate_file = server_.certificate_file;
  tls.private_key_file = server_.private_key_file;
  tls.client_ca_file = ca_.certificate_file;
  return tls;
}

std::shared_ptr<grpc::ChannelCredentials> TestCertificates::ClientCredentials(
    const CertificateFiles* client) const {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_.certificate_pem;
  if (client != nullptr) {
    options.pem_cert_chain = client->certificate_pem;
    options.pem_private_key = client->private_key_pem;
  }
  return grpc::SslCredentials(options);
}

}  // namespace argentpoche::testing
