// The poche-engine binary as an operator runs it: it initialises an empty data
// directory, answers gRPC health checks and reflection-less calls on loopback, keeps
// its data across restarts, and stops cleanly (exit 0) on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/test_engine.h"

namespace argentpoche::testing {
namespace {

// A running poche-engine child process; killed on destruction if still running.
class EngineProcess {
 public:
  explicit EngineProcess(const std::string& data_dir) {
    int pipe_fds[2];
    EXPECT_EQ(pipe(pipe_fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], STDERR_FILENO);
      close(pipe_fds[0]);
      const std::string data_flag = "--data_dir=" + data_dir;
      execl(POCHE_ENGINE_BINARY, "poche-engine", "--listen=127.0.0.1:0", data_flag.c_str(),
            "--scheduler_poll_ms=50", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(pipe_fds[1]);
    log_ = fdopen(pipe_fds[0], "r");
    // The first line says where it listens: {"...","event":"listening","detail":"127.0.0.1:N"}
    char line[512] = {};
    if (fgets(line, sizeof line, log_) != nullptr) {
      const std::string text(line);
      const size_t colon = text.rfind(':');
      if (text.find("\"listening\"") != std::string::npos && colon != std::string::npos) {
        port_ = std::atoi(text.c_str() + colon + 1);
      }
      first_line_ = text;
    }
  }
  ~EngineProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (log_ != nullptr) fclose(log_);
  }
  int port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  // Sends SIGTERM and returns the exit status (-1 if it did not exit normally).
  int Terminate() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* log_ = nullptr;
  int port_ = 0;
  std::string first_line_;
};

std::shared_ptr<grpc::Channel> ChannelTo(int port) {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                             grpc::InsecureChannelCredentials());
}

TEST(EngineProcessTest, ServesHealthAndStopsCleanlyOnSigterm) {
  TempDir dir;
  EngineProcess engine(dir.path() + "/data");
  ASSERT_GT(engine.port(), 0) << engine.first_line();

  auto health = grpc::health::v1::Health::NewStub(ChannelTo(engine.port()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  health.reset();

  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/data/engine.key"));
  EXPECT_EQ(std::filesystem::status(dir.path() + "/data/engine.key").permissions() &
                std::filesystem::perms::others_read,
            std::filesystem::perms::none);
  EXPECT_EQ(engine.Terminate(), 0);
}

TEST(EngineProcessTest, KeepsItsPartiesAndReceiptKeyAcrossARestart) {
  TempDir dir;
  const TestParty party(7);
  std::string receipt_key;
  {
    EngineProcess engine(dir.path());
    ASSERT_GT(engine.port(), 0) << engine.first_line();
    auto stub = v1::EscrowEngine::NewStub(ChannelTo(engine.port()));
    v1::Command command;
    command.set_request_id("register");
    command.mutable_register_party()->set_public_key(party.key.public_key());
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::Party registered;
    grpc::Status status =
        stub->RegisterParty(&context, SignCommand(command, party.key, now_ms), &registered);
    ASSERT_TRUE(status.ok()) << status.error_message();
    grpc::ClientContext info_context;
    v1::EngineInfo info;
    ASSERT_TRUE(stub->GetEngineInfo(&info_context, v1::GetEngineInfoRequest(), &info).ok());
    receipt_key = info.receipt_public_key();
    EXPECT_EQ(engine.Terminate(), 0);
  }
  EngineProcess engine(dir.path());
  ASSERT_GT(engine.port(), 0) << engine.first_line();
  auto stub = v1::EscrowEngine::NewStub(ChannelTo(engine.port()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::GetPartyRequest request;
  request.set_party_id(party.id());
  v1::Party found;
  ASSERT_TRUE(stub->GetParty(&context, request, &found).ok());
  EXPECT_EQ(found.public_key(), party.key.public_key());
  grpc::ClientContext info_context;
  v1::EngineInfo info;
  ASSERT_TRUE(stub->GetEngineInfo(&info_context, v1::GetEngineInfoRequest(), &info).ok());
  EXPECT_EQ(info.receipt_public_key(), receipt_key);
  EXPECT_EQ(engine.Terminate(), 0);
}

}  // namespace
}  // namespace argentpoche::testing
