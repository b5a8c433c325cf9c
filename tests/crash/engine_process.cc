#include "tests/crash/engine_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include "engine/status.h"
#include "engine/strings.h"

extern char** environ;

namespace argentpoche::crash {
namespace {

// How much of the engine's stderr is kept for error messages.
constexpr size_t kLogTailBytes = 8 * 1024;

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string DescribeWaitStatus(int status) {
  if (WIFSIGNALED(status)) return Concat("killed by signal ", WTERMSIG(status));
  if (WIFEXITED(status)) return Concat("exited with status ", WEXITSTATUS(status));
  return Concat("ended with wait status ", status);
}

}  // namespace

absl::StatusOr<std::unique_ptr<EngineProcess>> EngineProcess::Start(
    const EngineCommandLine& command_line, int64_t startup_timeout_ms) {
  std::vector<std::string> arguments = {
      "poche-engine",
      "--listen=127.0.0.1:0",
      Concat("--data_dir=", command_line.data_dir),
      Concat("--operator_public_key=", command_line.operator_public_key_hex),
      Concat("--scheduler_poll_ms=", command_line.scheduler_poll_ms),
  };
  if (command_line.max_command_skew_ms > 0) {
    arguments.push_back(Concat("--max_command_skew_ms=", command_line.max_command_skew_ms));
  }
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  // Close-on-exec so that no other child inherits the pipe; dup2 clears it on fd 2.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Error(absl::StatusCode::kUnavailable, "SPAWN_FAILED", "cannot create a pipe");
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The engine dies with this thread, so a
    // harness that dies leaves no engine behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(pipe_fds[1], STDERR_FILENO);
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
    execve(command_line.binary.c_str(), argv.data(), environ);
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return Error(absl::StatusCode::kUnavailable, "SPAWN_FAILED",
                 Concat("cannot start ", command_line.binary));
  }
  std::unique_ptr<EngineProcess> process(new EngineProcess(pid, pipe_fds[0]));
  if (!process->ReadPort(startup_timeout_ms)) {
    const ProcessEnd end = process->Kill();
    return Error(absl::StatusCode::kUnavailable, "ENGINE_DID_NOT_START",
                 Concat("poche-engine did not report a listening port (", end.description,
                        "); its stderr ended with:\n", process->LogTail()));
  }
  process->drain_ = std::thread([raw = process.get()] { raw->DrainLog(); });
  return process;
}

EngineProcess::~EngineProcess() {
  if (pid_ > 0) Kill();
  if (log_fd_ >= 0) close(log_fd_);
}

bool EngineProcess::ReadPort(int64_t timeout_ms) {
  const int64_t give_up_at = SteadyNowMs() + timeout_ms;
  char buffer[4096];
  for (;;) {
    const int64_t left = give_up_at - SteadyNowMs();
    if (left <= 0) return false;
    pollfd descriptor = {.fd = log_fd_, .events = POLLIN, .revents = 0};
    const int ready = poll(&descriptor, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t count = read(log_fd_, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;  // the engine closed stderr: it ended
    pending_line_.append(buffer, static_cast<size_t>(count));
    for (size_t end = pending_line_.find('\n'); end != std::string::npos;
         end = pending_line_.find('\n')) {
      const std::string line = pending_line_.substr(0, end + 1);
      pending_line_.erase(0, end + 1);
      AppendLog(line);
      const size_t colon = line.rfind(':');
      if (line.find("\"listening\"") != std::string::npos && colon != std::string::npos) {
        port_ = std::atoi(line.c_str() + colon + 1);
        if (port_ > 0) {
          AppendLog(pending_line_);
          pending_line_.clear();
          return true;
        }
      }
    }
  }
}

void EngineProcess::AppendLog(const std::string& text) {
  std::lock_guard<std::mutex> lock(log_mutex_);
  log_tail_.append(text);
  if (log_tail_.size() > kLogTailBytes) log_tail_.erase(0, log_tail_.size() - kLogTailBytes);
}

void EngineProcess::DrainLog() {
  char buffer[4096];
  for (;;) {
    const ssize_t count = read(log_fd_, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return;  // every writer is gone: the engine ended
    AppendLog(std::string(buffer, static_cast<size_t>(count)));
  }
}

std::string EngineProcess::LogTail() const {
  std::lock_guard<std::mutex> lock(log_mutex_);
  return log_tail_;
}

ProcessEnd EngineProcess::Reap(bool ended_before_signal) {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (drain_.joinable()) drain_.join();
  ProcessEnd end;
  end.ended_before_kill = ended_before_signal;
  end.killed_by_sigkill = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  end.description = DescribeWaitStatus(status);
  return end;
}

ProcessEnd EngineProcess::Kill() {
  if (pid_ <= 0)
    return ProcessEnd{
        .ended_before_kill = false, .killed_by_sigkill = false, .description = "not running"};
  int status = 0;
  const pid_t ended = waitpid(pid_, &status, WNOHANG);
  if (ended == pid_) {
    pid_ = -1;
    if (drain_.joinable()) drain_.join();
    return ProcessEnd{.ended_before_kill = true,
                      .killed_by_sigkill = false,
                      .description = DescribeWaitStatus(status)};
  }
  kill(pid_, SIGKILL);
  return Reap(/*ended_before_signal=*/false);
}

ProcessEnd EngineProcess::Terminate(int64_t timeout_ms) {
  if (pid_ <= 0)
    return ProcessEnd{
        .ended_before_kill = false, .killed_by_sigkill = false, .description = "not running"};
  kill(pid_, SIGTERM);
  const int64_t give_up_at = SteadyNowMs() + timeout_ms;
  while (SteadyNowMs() < give_up_at) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (drain_.joinable()) drain_.join();
      return ProcessEnd{.ended_before_kill = false,
                        .killed_by_sigkill = false,
                        .description = DescribeWaitStatus(status)};
    }
    usleep(10 * 1000);
  }
  kill(pid_, SIGKILL);
  ProcessEnd end = Reap(/*ended_before_signal=*/false);
  end.description = Concat("did not stop on SIGTERM within ", timeout_ms, " ms; ", end.description);
  return end;
}

}  // namespace argentpoche::crash
