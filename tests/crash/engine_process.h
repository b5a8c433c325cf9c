// EngineProcess: one running poche-engine child process, as the crash harness drives it.
// Start() spawns the binary on loopback (--listen=127.0.0.1:0) over a data directory and
// reads the port from the JSON "listening" line it prints on stderr; the rest of its
// stderr is drained by a thread and its last lines kept for error messages. Kill() sends
// SIGKILL and reaps the process. The destructor kills it if it is still running, and
// the engine is sent SIGKILL by the kernel if the thread that started it ends
// (PR_SET_PDEATHSIG), so a harness that dies leaves no engine behind.
//
// Not thread-safe: one owner, the thread that starts it and outlives it (the harness's
// killer thread).
#ifndef ARGENTPOCHE_TESTS_CRASH_ENGINE_PROCESS_H_
#define ARGENTPOCHE_TESTS_CRASH_ENGINE_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace argentpoche::crash {

// How to run the engine binary.
struct EngineCommandLine {
  std::string binary;
  std::string data_dir;
  // Hex of the operator's Ed25519 public key.
  std::string operator_public_key_hex;
  int64_t scheduler_poll_ms = 50;
  // 0 keeps the engine's default.
  int64_t max_command_skew_ms = 0;
};

// How a process ended, as waitpid reported it.
struct ProcessEnd {
  // The process had already ended before Kill() sent its signal.
  bool ended_before_kill = false;
  bool killed_by_sigkill = false;
  // A readable description: "killed by signal 9", "exited with status 1", ...
  std::string description;
};

class EngineProcess {
 public:
  // Spawns the engine and waits up to `startup_timeout_ms` for its listening line.
  // UNAVAILABLE with the engine's last stderr lines when it exits or stays silent.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<EngineProcess>> Start(
      const EngineCommandLine& command_line, int64_t startup_timeout_ms);

  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;
  ~EngineProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Sends SIGKILL (unless the process already ended), reaps it and stops the drain thread.
  ProcessEnd Kill();
  // Sends SIGTERM and waits up to `timeout_ms` for the exit; then SIGKILL.
  ProcessEnd Terminate(int64_t timeout_ms);
  // The last few KiB of the engine's stderr.
  std::string LogTail() const;

 private:
  EngineProcess(pid_t pid, int log_fd) : pid_(pid), log_fd_(log_fd) {}
  // Reads stderr lines until the listening line; false on end of file or timeout.
  bool ReadPort(int64_t timeout_ms);
  void AppendLog(const std::string& text);
  void DrainLog();
  // Reaps the process (blocking) and joins the drain thread.
  ProcessEnd Reap(bool ended_before_signal);

  pid_t pid_ = -1;
  int log_fd_ = -1;
  int port_ = 0;
  std::string pending_line_;
  mutable std::mutex log_mutex_;
  std::string log_tail_;
  std::thread drain_;
};

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_ENGINE_PROCESS_H_
