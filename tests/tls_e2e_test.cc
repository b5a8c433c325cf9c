// Mutual TLS through the real server (RocksDB in a temp dir, certificates made by
// openssl at test time): a client certificate names the parties its connection may act
// for; a client without one, or with one from another CA, fails the handshake; a
// certificate for one party cannot carry another party's signed command; reads work.
#include "engine/journal.h"
#include "engine/server/peer_identity.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "gtest/gtest.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {
namespace {

template <typename Response>
using Method = grpc::Status (v1::EscrowEngine::Stub::*)(grpc::ClientContext*,
                                                        const v1::SignedCommand&, Response*);

class MutualTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = data_.path();
    options.engine.operator_public_keys = {operator_.key.public_key()};
    options.engine.scheduler_poll_ms = 0;
    options.tls = certificates_.ServerTls();
    absl::StatusOr<std::unique_ptr<EngineServer>> server = EngineServer::Start(options, &clock_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->mutual_tls());
  }

  std::unique_ptr<v1::EscrowEngine::Stub> StubFor(const CertificateFiles* client) {
    return StubOver(certificates_.ClientCredentials(client));
  }
  std::unique_ptr<v1::EscrowEngine::Stub> StubOver(
      std::shared_ptr<grpc::ChannelCredentials> credentials) {
    return v1::EscrowEngine::NewStub(
        grpc::CreateChannel(Concat("127.0.0.1:", server_->port()), credentials));
  }

  template <typename Response>
  grpc::Status Send(v1::EscrowEngine::Stub& stub, Method<Response> method,
                    const v1::SignedCommand& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub.*method)(&context, request, response);
  }
  v1::SignedCommand Register(const TestParty& party, const std::string& request_id) {
    v1::Command command;
    command.set_request_id(request_id);
    command.mutable_register_party()->set_public_key(party.key.public_key());
    return SignCommand(command, party.key, clock_.NowUnixMs());
  }
  v1::SignedCommand Open(const TestParty& party, const std::string& request_id) {
    v1::Command command;
    command.set_request_id(request_id);
    command.mutable_open_account()->set_currency("EUR");
    return SignCommand(command, party.key, clock_.NowUnixMs());
  }
  grpc::Status Read(v1::EscrowEngine::Stub& stub) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::EngineInfo info;
    return stub.GetEngineInfo(&context, v1::GetEngineInfoRequest(), &info);
  }
  uint64_t JournalRecords() { return VerifyJournal(server_->store()).value_or(0); }

  TestCertificates certificates_;
  TempDir data_;
  ManualClock clock_{kTestEpochMs};
  TestParty operator_{0xee};
  TestParty tenant_{1};
  TestParty landlord_{2};
  std::unique_ptr<EngineServer> server_;
};

TEST_F(MutualTlsTest, AClientWhoseCertificateNamesAPartyActsAsThatPartyAndReads) {
  // The three ways a certificate names a party: SAN URI, CN URI, bare CN.
  const CertificateFiles tenant = certificates_.IssueClient("tenant", "", {PartyUri(tenant_.id())});
  const CertificateFiles bank = certificates_.IssueClient("bank", PartyUri(operator_.id()), {});
  const CertificateFiles landlord = certificates_.IssueClient("landlord", landlord_.id(), {});
  auto tenant_stub = StubFor(&tenant);
  v1::Party party;
  ASSERT_TRUE(
      Send(*tenant_stub, &v1::EscrowEngine::Stub::RegisterParty, Register(tenant_, "r1"), &party)
          .ok());
  v1::Account account;
  grpc::Status status =
      Send(*tenant_stub, &v1::EscrowEngine::Stub::OpenAccount, Open(tenant_, "o1"), &account);
  ASSERT_TRUE(status.ok()) << status.error_message();

  v1::Command credit;
  credit.set_request_id("wire-1");
  credit.mutable_credit_account()->set_account_id(tenant_.account("EUR"));
  credit.mutable_credit_account()->mutable_amount()->set_currency("EUR");
  credit.mutable_credit_account()->mutable_amount()->set_minor_units(12345);
  v1::Transfer transfer;
  status = Send(*StubFor(&bank), &v1::EscrowEngine::Stub::CreditAccount,
                SignCommand(credit, operator_.key, clock_.NowUnixMs()), &transfer);
  ASSERT_TRUE(status.ok()) << status.error_message();

  auto landlord_stub = StubFor(&landlord);
  EXPECT_TRUE(Send(*landlord_stub, &v1::EscrowEngine::Stub::RegisterParty,
                   Register(landlord_, "r2"), &party)
                  .ok());
  // Reads work for every certificate the CA issued.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetAccountRequest request;
  request.set_account_id(tenant_.account("EUR"));
  ASSERT_TRUE(landlord_stub->GetAccount(&context, request, &account).ok());
  EXPECT_EQ(account.balance().minor_units(), 12345);
}

TEST_F(MutualTlsTest, AClientWithoutATrustedCertificateFailsTheHandshake) {
  EXPECT_EQ(Read(*StubFor(nullptr)).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Read(*StubOver(grpc::InsecureChannelCredentials())).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  const CertificateFiles forged = certificates_.IssueFromStranger("forged", PartyUri(tenant_.id()));
  EXPECT_EQ(Read(*StubFor(&forged)).error_code(), grpc::StatusCode::UNAVAILABLE);
  v1::Party party;
  EXPECT_EQ(Send(*StubFor(&forged), &v1::EscrowEngine::Stub::RegisterParty, Register(tenant_, "r1"),
                 &party)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(JournalRecords(), 1u);  // the operator's enrolment only
}

TEST_F(MutualTlsTest, ACertificateForAnotherPartyCannotCarryItsSignedCommands) {
  const CertificateFiles tenant = certificates_.IssueClient("tenant", "", {PartyUri(tenant_.id())});
  const CertificateFiles landlord =
      certificates_.IssueClient("landlord", "", {PartyUri(landlord_.id())});
  auto tenant_stub = StubFor(&tenant);
  auto landlord_stub = StubFor(&landlord);
  v1::Party party;
  ASSERT_TRUE(
      Send(*tenant_stub, &v1::EscrowEngine::Stub::RegisterParty, Register(tenant_, "r1"), &party)
          .ok());
  const uint64_t before = JournalRecords();

  // The landlord's connection relays a command the tenant signed: refused, nothing done.
  const v1::SignedCommand open = Open(tenant_, "o1");
  v1::Account account;
  grpc::Status status = Send(*landlord_stub, &v1::EscrowEngine::Stub::OpenAccount, open, &account);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ReasonOf(status), "CALLER_NOT_PEER");
  EXPECT_NE(status.error_message().find(tenant_.id()), std::string::npos);
  // Nor may it register a key that is not its own.
  status = Send(*landlord_stub, &v1::EscrowEngine::Stub::RegisterParty, Register(TestParty(9), "x"),
                &party);
  EXPECT_EQ(ReasonOf(status), "CALLER_NOT_PEER");
  EXPECT_EQ(JournalRecords(), before);

  // Applied through the tenant's own connection, the same bytes replayed through the
  // landlord's are still refused: the first answer goes to the tenant's peers only.
  ASSERT_TRUE(Send(*tenant_stub, &v1::EscrowEngine::Stub::OpenAccount, open, &account).ok());
  status = Send(*landlord_stub, &v1::EscrowEngine::Stub::OpenAccount, open, &account);
  EXPECT_EQ(ReasonOf(status), "CALLER_NOT_PEER");
  EXPECT_EQ(JournalRecords(), before + 1);
}

TEST_F(MutualTlsTest, ACertificateNamingNoPartyMayReadButNotAct) {
  const CertificateFiles monitoring = certificates_.IssueClient("monitoring", "monitoring", {});
  auto stub = StubFor(&monitoring);
  EXPECT_TRUE(Read(*stub).ok());
  v1::Party party;
  EXPECT_EQ(ReasonOf(Send(*stub, &v1::EscrowEngine::Stub::RegisterParty, Register(tenant_, "r1"),
                          &party)),
            "CALLER_NOT_PEER");
}

TEST_F(MutualTlsTest, OneCertificateMayNameSeveralParties) {
  const CertificateFiles gateway = certificates_.IssueClient(
      "gateway", "gateway", {PartyUri(tenant_.id()), PartyUri(landlord_.id())});
  auto stub = StubFor(&gateway);
  v1::Party party;
  EXPECT_TRUE(
      Send(*stub, &v1::EscrowEngine::Stub::RegisterParty, Register(tenant_, "r1"), &party).ok());
  EXPECT_TRUE(
      Send(*stub, &v1::EscrowEngine::Stub::RegisterParty, Register(landlord_, "r1"), &party).ok());
  EXPECT_EQ(ReasonOf(Send(*stub, &v1::EscrowEngine::Stub::RegisterParty, Register(operator_, "r1"),
                          &party)),
            "CALLER_NOT_PEER");
}

TEST(MutualTlsStartTest, TlsFilesHalfGivenMissingOrAbsentOffLoopbackAreRefused) {
  TestCertificates certificates;
  TempDir data;
  ManualClock clock(kTestEpochMs);
  ServerOptions options;
  options.data_dir = data.path();
  options.engine.scheduler_poll_ms = 0;
  options.tls.certificate_file = certificates.server().certificate_file;
  absl::StatusOr<std::unique_ptr<EngineServer>> server = EngineServer::Start(options, &clock);
  EXPECT_EQ(argentpoche::ReasonOf(server.status()), "TLS_INCOMPLETE");
  EXPECT_NE(server.status().message().find("--tls_key, --tls_client_ca"), std::string::npos);

  options.tls = certificates.ServerTls();
  options.tls.private_key_file = data.path() + "/no-such.key";
  server = EngineServer::Start(options, &clock);
  EXPECT_EQ(argentpoche::ReasonOf(server.status()), "TLS_FILE");

  options.tls = TlsOptions();
  options.listen_address = "0.0.0.0:0";
  server = EngineServer::Start(options, &clock);
  EXPECT_EQ(argentpoche::ReasonOf(server.status()), "PLAINTEXT_NOT_LOOPBACK");
}

TEST(PeerIdentityTest, ACertificateNamesAPartyOnlyInTheDocumentedForms) {
  const std::string id = "0123456789abcdef";
  EXPECT_EQ(PartyIdInCertificateName("argentpoche:party:" + id, false), id);
  EXPECT_EQ(PartyIdInCertificateName(id, true), id);
  EXPECT_EQ(PartyIdInCertificateName(id, false), "");
  EXPECT_EQ(PartyIdInCertificateName("argentpoche:party:*", true), "");
  EXPECT_EQ(PartyIdInCertificateName("argentpoche:party:" + id + "0", true), "");
  EXPECT_EQ(PartyIdInCertificateName("argentpoche:party:0123456789ABCDEF", true), "");
  EXPECT_EQ(PartyIdInCertificateName("spiffe://argentpoche/party/" + id, true), "");
  EXPECT_EQ(HostOfPeer("ipv4:10.0.0.7:5123"), "10.0.0.7");
  EXPECT_EQ(HostOfPeer("ipv6:[::1]:5123"), "[::1]");
  EXPECT_EQ(HostOfPeer("unix:/run/poche.sock"), "unix:/run/poche.sock");
}

}  // namespace
}  // namespace argentpoche::testing
