// Two poche-box processes on loopback TCP, each holding a card file personalised here with
// the test issuer's labelled test seeds: one serves its card, the other pays 12.50 EUR.
// The card files are read back afterwards. Then the serving box's test drill cuts the link
// in the middle: the payer box reports the failure, and after both cards sync with the
// issuer's Reconciler the value is conserved.
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/card/card_client.h"
#include "engine/card/card_testing.h"
#include "engine/card/file_card_store.h"
#include "engine/card/reconciler.h"
#include "engine/strings.h"
#include "gtest/gtest.h"

namespace argentpoche::card_link {
namespace {

using card::FileCardStore;
using card::TestCard;
using card::TestIssuer;

// A poche-box child process, its stdout read through a pipe; killed if still running.
class BoxProcess {
 public:
  explicit BoxProcess(std::vector<std::string> flags) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      std::freopen("/dev/null", "r", stdin);  // not a terminal: no keypad prompt
      std::vector<char*> argv = {const_cast<char*>("poche-box")};
      for (std::string& flag : flags) argv.push_back(flag.data());
      argv.push_back(nullptr);
      execv(POCHE_BOX_BINARY, argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
  }
  ~BoxProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) fclose(out_);
  }
  std::string ReadLine() {
    char line[512] = {};
    if (fgets(line, sizeof line, out_) == nullptr) return "";
    output_ += line;
    return line;
  }
  void Signal(int signal_number) { kill(pid_, signal_number); }
  // Reads the rest of the output and returns the exit status (-1: not a normal exit).
  int Finish() {
    while (!ReadLine().empty()) {
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string output_;
};

class BoxProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);
    char pattern[] = "/tmp/poche-box-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    payer_file_ = dir_ + "/payer.card";
    payee_file_ = dir_ + "/payee.card";
    card::TestCardOptions options;
    options.expires_at_unix_s = 4'000'000'000u;  // the boxes run on the system clock
    options.purses = {{"EUR", 50'00, 1'000'00}};
    TestCard(issuer_, clock_, 1, options, std::make_unique<FileCardStore>(payer_file_));
    options.purses = {{"EUR", 100'00, 1'000'00}};
    TestCard(issuer_, clock_, 2, options, std::make_unique<FileCardStore>(payee_file_));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts the serving box and returns the address it listens on.
  std::string StartServer(BoxProcess& server) {
    const std::string line = server.ReadLine();  // "listening on 127.0.0.1:N"
    EXPECT_EQ(line.rfind("listening on ", 0), 0u) << line;
    return line.substr(13, line.size() - 14);
  }

  std::vector<std::string> ServerFlags(int drop_after_frames = -1) {
    return {"--card=" + payee_file_, "--listen=127.0.0.1:0", "--timeout_ms=3000",
            "--accept_timeout_ms=10000", Concat("--drop_after_frames=", drop_after_frames)};
  }
  std::vector<std::string> PayerFlags(const std::string& address) {
    return {"--card=" + payer_file_, "--connect=" + address, "--pay=12.50", "--currency=EUR",
            "--timeout_ms=3000"};
  }

  int64_t Balance(const std::string& file) {
    FileCardStore store(file);
    card::SeededRandom random("TEST SEED - NOT FOR A REAL CARD: reading back");
    absl::StatusOr<std::unique_ptr<card::SoftwareCard>> loaded =
        card::SoftwareCard::PowerUp(store, random, clock_);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    const card::Purse* purse = card::FindPurse((*loaded)->committed_state(), "EUR");
    return purse == nullptr ? -1 : purse->balance;
  }

  // Reads the card's sync report and submits it; returns the refunds it decided.
  int64_t Sync(const std::string& file, card::Reconciler& reconciler, int number) {
    FileCardStore store(file);
    card::SeededRandom random("TEST SEED - NOT FOR A REAL CARD: sync");
    absl::StatusOr<std::unique_ptr<card::SoftwareCard>> loaded =
        card::SoftwareCard::PowerUp(store, random, clock_);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    card::InProcessTransport transport(loaded->get());
    const std::string challenge = Sha256(Concat("box challenge ", number)).substr(0, 16);
    absl::StatusOr<std::string> report = card::ReadSyncReport(transport, challenge);
    EXPECT_TRUE(report.ok()) << report.status();
    absl::StatusOr<std::vector<card::Refund>> refunds = reconciler.Submit(*report, challenge);
    EXPECT_TRUE(refunds.ok()) << refunds.status();
    int64_t refunded = 0;
    for (const card::Refund& refund : *refunds) refunded += refund.amount;
    return refunded;
  }

  ManualClock clock_{card::kTestNowMs};
  TestIssuer issuer_;
  std::string dir_;
  std::string payer_file_;
  std::string payee_file_;
};

TEST_F(BoxProcessTest, TwoBoxesOnLoopbackCompleteAPayment) {
  BoxProcess server(ServerFlags());
  const std::string address = StartServer(server);
  BoxProcess payer(PayerFlags(address));
  EXPECT_EQ(payer.Finish(), 0) << payer.output();
  EXPECT_EQ(server.Finish(), 0) << server.output();
  EXPECT_NE(payer.output().find("Sent 12.50 EUR — balance 37.50 EUR"), std::string::npos)
      << payer.output();
  EXPECT_NE(server.output().find("Received 12.50 EUR — balance 112.50 EUR"), std::string::npos)
      << server.output();
  EXPECT_NE(payer.output().find("round trips: 2, time: "), std::string::npos) << payer.output();
  EXPECT_NE(server.output().find("round trips: 2, time: "), std::string::npos);
  EXPECT_NE(payer.output().find("bytes: "), std::string::npos);
  std::cerr << "payer box:\n" << payer.output() << "serving box:\n" << server.output();
  EXPECT_EQ(Balance(payer_file_), 37'50);
  EXPECT_EQ(Balance(payee_file_), 112'50);
}

TEST_F(BoxProcessTest, ACutLinkFailsThePaymentAndTheCardsConserveValue) {
  for (int drop_after = 0; drop_after < 2; ++drop_after) {
    SCOPED_TRACE(drop_after);
    const int64_t before = Balance(payer_file_) + Balance(payee_file_);
    BoxProcess server(ServerFlags(drop_after));
    const std::string address = StartServer(server);
    BoxProcess payer(PayerFlags(address));
    EXPECT_EQ(payer.Finish(), 1) << payer.output();
    EXPECT_EQ(server.Finish(), 1) << server.output();
    EXPECT_NE(payer.output().find("Payment failed at "), std::string::npos) << payer.output();
    EXPECT_NE(payer.output().find("LINK_DOWN"), std::string::npos) << payer.output();
    card::Reconciler reconciler(issuer_.public_keys());
    const int64_t refunded = Sync(payer_file_, reconciler, 2 * drop_after) +
                             Sync(payee_file_, reconciler, 2 * drop_after + 1);
    EXPECT_TRUE(reconciler.Undecided().empty());
    EXPECT_EQ(Balance(payer_file_) + Balance(payee_file_) + refunded, before);
  }
}

// Reads from a pseudo-terminal's master until `wanted` has been seen (or the end).
bool ReadUntil(int master, std::string& seen, std::string_view wanted) {
  char buffer[256];
  while (seen.find(wanted) == std::string::npos) {
    const ssize_t got = read(master, buffer, sizeof buffer);
    if (got <= 0) return false;  // EIO once the child has exited
    seen.append(buffer, static_cast<size_t>(got));
  }
  return true;
}

TEST_F(BoxProcessTest, TheKeypadPromptAsksForAmountAndCurrencyOnATerminal) {
  BoxProcess server(ServerFlags());
  const std::string address = StartServer(server);
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string card = "--card=" + payer_file_;
    const std::string connect = "--connect=" + address;
    execl(POCHE_BOX_BINARY, "poche-box", card.c_str(), connect.c_str(), "--timeout_ms=3000",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string seen;
  ASSERT_TRUE(ReadUntil(master, seen, "Amount?")) << seen;
  ASSERT_EQ(write(master, "12.50\n", 6), 6);
  ASSERT_TRUE(ReadUntil(master, seen, "Currency? [EUR]")) << seen;
  ASSERT_EQ(write(master, "\n", 1), 1);  // the default
  EXPECT_TRUE(ReadUntil(master, seen, "round trips: 2")) << seen;
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << seen;
  EXPECT_NE(seen.find("Sent 12.50 EUR — balance 37.50 EUR"), std::string::npos) << seen;
  EXPECT_EQ(server.Finish(), 0) << server.output();
  EXPECT_EQ(Balance(payee_file_), 112'50);
}

TEST_F(BoxProcessTest, BadFlagsAreUsageErrors) {
  BoxProcess no_card({"--listen=127.0.0.1:0"});
  EXPECT_EQ(no_card.Finish(), 2);
  BoxProcess two_links({"--card=" + payer_file_, "--listen=127.0.0.1:0", "--connect=x:1"});
  EXPECT_EQ(two_links.Finish(), 2);
  BoxProcess bad_amount({"--card=" + payer_file_, "--connect=127.0.0.1:1", "--pay=12.505"});
  EXPECT_EQ(bad_amount.Finish(), 2);
}

TEST_F(BoxProcessTest, SigtermStopsAWaitingBoxCleanly) {
  BoxProcess server(ServerFlags());
  StartServer(server);
  const auto start = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Finish(), 0) << server.output();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace argentpoche::card_link
