// The locked-down engine as an operator runs it: the poche-engine binary with mutual TLS
// (certificates made by openssl at test time), driven by the poche binary through a
// whole deposit with each party's own certificate. Then its logs are searched for every
// secret the scenario used (key seeds, public keys, the receipt key, TLS private keys):
// none may appear. Also: poche without a certificate, or with another party's, is
// refused, and the refusal is logged.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "engine/strings.h"
#include "gtest/gtest.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_engine.h"

extern char** environ;

namespace argentpoche::testing {
namespace {

// The decimal number right after the first `marker` in `text`, or 0 when there is none.
int NumberAfter(const std::string& text, std::string_view marker) {
  const size_t at = text.find(marker);
  if (at == std::string::npos) return 0;
  return std::atoi(text.c_str() + at + marker.size());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Base64 of the private scalar in a PEM P-256 key (PKCS#8): what is secret in it. The
// first 48 characters encode the ASN.1 header every such key shares.
std::string PrivateScalarOf(const std::string& pem) {
  std::string base64;
  std::istringstream lines(pem);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("-----")) base64 += line;
  }
  return base64.size() >= 88 ? base64.substr(48, 40) : "";
}

// What poche printed (stdout and stderr) and its exit status.
struct PocheRun {
  int exit_status = -1;
  std::string output;
};

class LockedDownProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string keys = work_.path() + "/home/keys";
    ASSERT_EQ(mkdir((work_.path() + "/home").c_str(), 0700), 0);
    ASSERT_EQ(mkdir(keys.c_str(), 0700), 0);
    for (const auto& [name, party] : parties_) {
      const std::string path = Concat(keys, "/", name, ".key");
      std::ofstream(path) << Hex(party->key.Seed()) << "\n";
      ASSERT_EQ(chmod(path.c_str(), 0600), 0);
      certificates_by_name_[name] = certificates_.IssueClient(name, "", {PartyUri(party->id())});
    }
  }
  void TearDown() override {
    if (engine_pid_ > 0) {
      kill(engine_pid_, SIGKILL);
      waitpid(engine_pid_, nullptr, 0);
    }
  }

  // Starts poche-engine with mutual TLS, its stderr going to engine.log; returns the port.
  int StartEngine() {
    const TlsOptions tls = certificates_.ServerTls();
    std::vector<std::string> arguments = {
        "poche-engine",
        "--listen=127.0.0.1:0",
        Concat("--data_dir=", work_.path(), "/data"),
        Concat("--operator_public_key=", Hex(operator_.key.public_key())),
        Concat("--tls_cert=", tls.certificate_file),
        Concat("--tls_key=", tls.private_key_file),
        Concat("--tls_client_ca=", tls.client_ca_file),
        "--scheduler_poll_ms=50",
    };
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, LogPath().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    EXPECT_EQ(
        posix_spawn(&engine_pid_, POCHE_ENGINE_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    for (int attempt = 0; attempt < 200; ++attempt) {
      const std::string log = ReadFile(LogPath());
      const int port = NumberAfter(log, "\"event\":\"listening\",\"detail\":\"127.0.0.1:");
      if (port > 0) return port;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "poche-engine did not report a port:\n" << ReadFile(LogPath());
    return 0;
  }
  // SIGTERM, then the exit status.
  int StopEngine() {
    kill(engine_pid_, SIGTERM);
    int status = 0;
    waitpid(engine_pid_, &status, 0);
    engine_pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string LogPath() const { return work_.path() + "/engine.log"; }

  // Runs `poche` with the TLS flags: the CA always, and `certificate`'s files when it
  // names one of the parties ("" for none). `tls` false runs it in plaintext.
  PocheRun Poche(const std::string& certificate, const std::string& arguments, bool tls = true) {
    std::string command =
        Concat(POCHE_BINARY, " --engine 127.0.0.1:", port_, " --home ", work_.path(), "/home");
    if (tls) command = Concat(command, " --tls_ca ", certificates_.ca_file());
    if (!certificate.empty()) {
      const CertificateFiles& files = certificates_by_name_.at(certificate);
      command = Concat(command, " --tls_cert ", files.certificate_file, " --tls_key ",
                       files.private_key_file);
    }
    command = Concat(command, " ", arguments, " 2>&1");
    PocheRun run;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return run;
    char buffer[4096];
    size_t count = 0;
    while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, count);
    const int status = pclose(pipe);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    outputs_ += run.output;
    return run;
  }
  // Runs poche as `name` (its key signs, its certificate carries) and expects success.
  std::string Act(const std::string& name, const std::string& arguments) {
    const PocheRun run = Poche(name, arguments);
    EXPECT_EQ(run.exit_status, 0) << "poche " << arguments << ":\n" << run.output;
    return run.output;
  }

  TempDir work_;
  TestCertificates certificates_;
  TestParty operator_{0xee};
  TestParty lea_{1};
  TestParty claire_{2};
  TestParty bruno_{3};
  const std::map<std::string, const TestParty*> parties_ = {
      {"operator", &operator_}, {"lea", &lea_}, {"claire", &claire_}, {"bruno", &bruno_}};
  std::map<std::string, CertificateFiles> certificates_by_name_;
  pid_t engine_pid_ = -1;
  int port_ = 0;
  std::string outputs_;  // everything poche printed
};

TEST_F(LockedDownProcessTest, AWholeDepositOverMutualTlsLeavesNoSecretInTheLogs) {
  port_ = StartEngine();
  ASSERT_GT(port_, 0);
  for (const std::string name : {"lea", "claire", "bruno"}) {
    Act(name, Concat("party register --key ", name, " --display-name ", name));
    Act(name, Concat("account open --key ", name, " --currency EUR"));
  }
  Act("operator",
      "account credit --key operator --account lea:EUR --amount 1500.00 "
      "--currency EUR --reference wire");
  const std::string created =
      Act("claire",
          "deposit create --json --key claire --tenant lea --landlord claire --arbiter bruno "
          "--amount 1200.00 --currency EUR --fund-within 1d --return-within 30d "
          "--contest-window 7d --description lease");
  const size_t id_at = created.find("\"id\": \"c");
  ASSERT_NE(id_at, std::string::npos) << created;
  const size_t id_start = id_at + std::string_view("\"id\": \"").size();
  const std::string contract = created.substr(id_start, created.find('"', id_start) - id_start);
  for (const std::string name : {"claire", "lea", "bruno"}) {
    Act(name, Concat("deposit sign --key ", name, " ", contract));
  }
  Act("lea", Concat("deposit fund --key lea ", contract));
  Act("claire",
      Concat("deposit claim --key claire ", contract, " --to-landlord 150.00 --to-tenant 1050.00"));
  Act("lea", Concat("deposit accept --key lea ", contract));
  EXPECT_NE(Act("lea", Concat("deposit show --json ", contract)).find("CONTRACT_STATE_SETTLED"),
            std::string::npos);
  Act("lea", "journal verify");

  // Lea's key signs, Claire's certificate carries: refused, and logged.
  PocheRun run = Poche("claire", "account open --key lea --currency USD");
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.output.find("CALLER_NOT_PEER"), std::string::npos) << run.output;
  // No certificate, or no TLS at all: the handshake fails, and poche says what to give.
  run = Poche("", "engine info");
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.output.find("UNAVAILABLE"), std::string::npos) << run.output;
  run = Poche("", "engine info", /*tls=*/false);
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_NE(run.output.find("--tls_ca, --tls_cert and --tls_key"), std::string::npos) << run.output;
  run = Poche("", "--tls_cert only.pem engine info");
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_EQ(StopEngine(), 0);

  const std::string log = ReadFile(LogPath());
  for (const std::string event : {"\"event\":\"listening\"", "\"transport\":\"mutual-tls\"",
                                  "\"reason\":\"CALLER_NOT_PEER\"", "\"event\":\"stopped\""}) {
    EXPECT_NE(log.find(event), std::string::npos) << event << " not in:\n" << log;
  }
  // The secrets, and where they must not be.
  std::map<std::string, std::string> secrets;
  for (const auto& [name, party] : parties_) {
    secrets[name + " key seed"] = Hex(party->key.Seed());
    secrets[name + " public key"] = Hex(party->key.public_key()).substr(0, 16);
    secrets[name + " TLS key"] = PrivateScalarOf(certificates_by_name_.at(name).private_key_pem);
  }
  secrets["server TLS key"] = PrivateScalarOf(certificates_.server().private_key_pem);
  std::string receipt_seed = ReadFile(work_.path() + "/data/engine.key");
  receipt_seed = receipt_seed.substr(0, receipt_seed.find('\n'));
  ASSERT_EQ(receipt_seed.size(), 64u);
  secrets["receipt key"] = receipt_seed;
  for (const auto& [what, secret] : secrets) {
    ASSERT_GE(secret.size(), 16u) << what;
    EXPECT_EQ(log.find(secret), std::string::npos) << what << " is in the engine's log";
    if (what.ends_with("public key")) continue;  // poche may show public keys
    EXPECT_EQ(outputs_.find(secret), std::string::npos) << what << " was printed by poche";
  }
}

}  // namespace
}  // namespace argentpoche::testing
