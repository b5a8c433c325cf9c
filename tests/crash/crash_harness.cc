#include "tests/crash/crash_harness.h"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <memory>
#include <random>
#include <thread>

#include "engine/crypto.h"
#include "engine/strings.h"
#include "tests/crash/crash_client.h"
#include "tests/crash/crash_records.h"
#include "tests/crash/engine_link.h"
#include "tests/crash/engine_process.h"
#include "tests/crash/restart_checks.h"
#include "tests/crash/store_audit.h"

namespace argentpoche::crash {
namespace {

// How long the killer waits, past the random run time, for a first acknowledgement.
constexpr int64_t kMaxWaitForAcknowledgementMs = 10000;

// A fresh temporary directory, removed with everything in it on destruction.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "poche-crash-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The operator's test key (the same seed as tests/support's operator party).
SigningKey OperatorTestKey() { return *SigningKey::FromSeed(std::string(kSeedBytes, '\xee')); }

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class CrashHarness {
 public:
  explicit CrashHarness(const CrashOptions& options)
      : options_(options),
        schedule_random_(options.seed),
        sample_random_(options.seed + 1),
        auditor_(&violations_) {}
  CrashReport Run();

 private:
  bool StartEngine(const std::string& moment);
  // The killer thread: first start, kills, then the final stop and checks once every
  // client has finished.
  void Killer(std::latch& clients_done);
  void KillLoop();
  // One kill, the checks while down, the restart and the checks after it; false when
  // the run cannot go on (the engine or its database would not come back).
  bool KillCheckAndRestart(int kill_number);
  // The acknowledged commands from `*next` on (and advances it), plus `sample` random
  // earlier ones.
  std::vector<std::shared_ptr<const Acknowledged>> NewAndSampled(size_t* next, size_t sample);
  static int64_t Uniform(std::mt19937_64& random, int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random);
  }

  const CrashOptions options_;
  // Run and downtime lengths (the seed alone fixes them), and samples of the log.
  std::mt19937_64 schedule_random_;
  std::mt19937_64 sample_random_;
  TemporaryDirectory directory_;
  const SigningKey operator_key_ = OperatorTestKey();
  EngineLink link_;
  AcknowledgedLog log_;
  IssuedMoney issued_;
  SettledContracts settled_;
  Violations violations_;
  ClientCounters counters_;
  StoreAuditor auditor_;
  std::unique_ptr<EngineProcess> engine_;
  int64_t run_started_ms_ = 0;
  size_t audited_upto_ = 0;
  size_t resent_upto_ = 0;
  int64_t started_steady_ms_ = 0;
  CrashReport report_;
};

CrashReport CrashHarness::Run() {
  started_steady_ms_ = SteadyNowMs();
  if (directory_.path().empty()) {
    violations_.Add("cannot create a temporary directory");
  } else {
    std::latch clients_done(options_.clients);
    std::vector<std::thread> clients;
    for (int index = 0; index < options_.clients; ++index) {
      // Each client waits for the engine to be published, then runs until told to stop.
      clients.emplace_back([this, index, &clients_done] {
        CrashClient(index, options_.seed,
                    ClientShared{.link = &link_,
                                 .log = &log_,
                                 .issued = &issued_,
                                 .settled = &settled_,
                                 .violations = &violations_,
                                 .counters = &counters_,
                                 .operator_key = &operator_key_,
                                 .call_timeout_ms = options_.call_timeout_ms})
            .Run();
        clients_done.count_down();
      });
    }
    // The killer thread starts, kills and stops every engine process.
    std::thread killer([this, &clients_done] { Killer(clients_done); });
    killer.join();
    for (std::thread& client : clients) client.join();
  }
  report_.operations_attempted = counters_.attempted;
  report_.operations_acknowledged = counters_.acknowledged;
  report_.operations_refused = counters_.refused;
  report_.retries = counters_.retries;
  report_.blind_retries = counters_.blind_retries;
  report_.signed_again = counters_.signed_again;
  report_.abandoned = counters_.abandoned;
  report_.covers_funded = counters_.covers_funded;
  report_.covers_settled = counters_.covers_settled;
  report_.covers_refunded = counters_.covers_refunded;
  report_.violation_count = violations_.count();
  report_.violations = violations_.descriptions();
  report_.seconds = static_cast<double>(SteadyNowMs() - started_steady_ms_) / 1000.0;
  return report_;
}

void CrashHarness::Killer(std::latch& clients_done) {
  if (StartEngine("at the first start")) {
    link_.Publish(ConnectTo(engine_->port()));
    KillLoop();
  }
  // With the engine up, clients finish the operation they are in; otherwise they give up.
  if (engine_ != nullptr) {
    link_.RequestStop();
  } else {
    link_.Shutdown();
  }
  clients_done.wait();
  link_.Shutdown();
  if (engine_ == nullptr) return;
  const int64_t stopped_ms = WallNowMs();
  const ProcessEnd end = engine_->Terminate(30000);
  if (end.description != "exited with status 0") {
    violations_.Add(Concat("the engine did not stop cleanly on SIGTERM: ", end.description, "\n",
                           engine_->LogTail()));
  }
  engine_.reset();
  // Everything acknowledged in the whole run, once more.
  size_t from_start = 0;
  const AuditResult audit = auditor_.Audit(
      directory_.path() + "/data/db", AuditInput{.acknowledged = NewAndSampled(&from_start, 0),
                                                 .issued = issued_.Snapshot(),
                                                 .run_started_ms = run_started_ms_,
                                                 .stopped_ms = stopped_ms,
                                                 .deadline_grace_ms = options_.deadline_grace_ms,
                                                 .moment = "after the final SIGTERM",
                                                 .settled = settled_.Snapshot()});
  report_.settled_contracts = static_cast<int64_t>(settled_.Snapshot().size());
  report_.journal_records = audit.journal_records;
}

bool CrashHarness::StartEngine(const std::string& moment) {
  EngineCommandLine command_line{.binary = options_.engine_binary,
                                 .data_dir = directory_.path() + "/data",
                                 .operator_public_key_hex = Hex(operator_key_.public_key()),
                                 .scheduler_poll_ms = options_.scheduler_poll_ms,
                                 .max_command_skew_ms = options_.max_command_skew_ms};
  absl::StatusOr<std::unique_ptr<EngineProcess>> started =
      EngineProcess::Start(command_line, options_.startup_timeout_ms);
  if (!started.ok()) {
    violations_.Add(Concat("the engine did not start ", moment, ": ", started.status().message()));
    return false;
  }
  engine_ = *std::move(started);
  run_started_ms_ = WallNowMs();
  return true;
}

void CrashHarness::KillLoop() {
  for (int kill_number = 1; kill_number <= options_.kills; ++kill_number) {
    if (options_.max_wall_ms > 0 && SteadyNowMs() - started_steady_ms_ > options_.max_wall_ms) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(
        Uniform(schedule_random_, options_.min_run_ms, options_.max_run_ms)));
    const int64_t generation = link_.generation();
    const int64_t give_up_at = SteadyNowMs() + kMaxWaitForAcknowledgementMs;
    while (log_.CountInGeneration(generation) == 0 && SteadyNowMs() < give_up_at) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (log_.CountInGeneration(generation) == 0) ++report_.runs_without_acknowledgement;
    if (!KillCheckAndRestart(kill_number)) return;
  }
}

bool CrashHarness::KillCheckAndRestart(int kill_number) {
  const int64_t generation = link_.generation();
  const int64_t killed_ms = WallNowMs();
  const ProcessEnd end = engine_->Kill();
  link_.Withdraw();
  ++report_.kills;
  if (!end.killed_by_sigkill) {
    violations_.Add(Concat("engine run ", generation, " ended by itself before kill ", kill_number,
                           " (", end.description, "); its stderr ended with:\n",
                           engine_->LogTail()));
  }
  engine_.reset();
  // Calls to the dead engine fail fast; none may reach the next one.
  link_.WaitForCallsToEnd(options_.call_timeout_ms + 2000);

  const int64_t audit_started = SteadyNowMs();
  const AuditResult audit = auditor_.Audit(
      directory_.path() + "/data/db",
      AuditInput{.acknowledged = NewAndSampled(&audited_upto_, options_.lookup_sample),
                 .issued = issued_.Snapshot(),
                 .run_started_ms = run_started_ms_,
                 .stopped_ms = killed_ms,
                 .deadline_grace_ms = options_.deadline_grace_ms,
                 .moment = Concat("after kill ", kill_number),
                 .settled = settled_.Snapshot()});
  if (!audit.opened) return false;
  report_.journal_records = audit.journal_records;
  const int64_t audit_ms = SteadyNowMs() - audit_started;

  std::this_thread::sleep_for(
      std::chrono::milliseconds(Uniform(schedule_random_, 0, options_.max_extra_down_ms)));
  const int64_t restart_started = SteadyNowMs();
  if (!StartEngine(Concat("after kill ", kill_number))) return false;
  ++report_.restarts;
  const int64_t restart_ms = SteadyNowMs() - restart_started;
  std::shared_ptr<Stub> stub = ConnectTo(engine_->port());
  const RestartCheckResult checked = CheckAfterRestart(
      *stub,
      RestartCheckInput{.overdue = audit.overdue,
                        .journal_records = audit.journal_records,
                        .resend = NewAndSampled(&resent_upto_, options_.resend_sample),
                        .started_ms = run_started_ms_,
                        .fire_timeout_ms = options_.restart_fire_timeout_ms,
                        .call_timeout_ms = options_.call_timeout_ms,
                        .moment = Concat("after restart ", kill_number),
                        .settled = settled_.Snapshot()},
      &violations_);
  const int64_t checks_ms = SteadyNowMs() - restart_started - restart_ms;
  report_.resent_after_restart += checked.resent;
  report_.settled_checked_after_restart += checked.settled_checked;
  if (!audit.overdue.empty()) {
    report_.overdue_deadlines += static_cast<int64_t>(audit.overdue.size());
    report_.slowest_overdue_fire_ms =
        std::max(report_.slowest_overdue_fire_ms, checked.fired_after_ms);
  }
  if (options_.verbose) {
    const std::string line = Concat(
        "kill ", kill_number, "/", options_.kills, ": ", log_.CountInGeneration(generation),
        " acknowledged in run ", generation, "; journal ", audit.journal_records,
        " records (checked in ", audit_ms, " ms); restarted in ", restart_ms, " ms; ",
        audit.overdue.size(), " overdue deadlines fired ",
        audit.overdue.empty() ? 0 : checked.fired_after_ms, " ms after restart; ", checked.resent,
        " re-sent (checked in ", checks_ms, " ms); ", violations_.count(), " violations so far\n");
    std::fputs(line.c_str(), stderr);
  }
  link_.Publish(std::move(stub));
  return true;
}

std::vector<std::shared_ptr<const Acknowledged>> CrashHarness::NewAndSampled(size_t* next,
                                                                             size_t sample) {
  const size_t end = log_.size();
  std::vector<std::shared_ptr<const Acknowledged>> chosen;
  for (size_t index = *next; index < end; ++index) chosen.push_back(log_.at(index));
  const size_t earlier = *next;
  for (size_t i = 0; i < sample && earlier > 0; ++i) {
    chosen.push_back(log_.at(
        static_cast<size_t>(Uniform(sample_random_, 0, static_cast<int64_t>(earlier) - 1))));
  }
  *next = end;
  return chosen;
}

}  // namespace

std::string CrashReport::Summary() const {
  std::string text = Concat(
      "operations: ", operations_attempted, " attempted, ", operations_acknowledged,
      " acknowledged, ", operations_refused, " refused by the rules, ", abandoned, " abandoned\n",
      "retries: ", retries, " of in-doubt calls, ", blind_retries,
      " blind retries of acknowledged commands, ", signed_again,
      " retries signed again with a later time, ", resent_after_restart,
      " acknowledged commands re-sent after restarts\n", "kills: ", kills,
      " (SIGKILL), restarts: ", restarts,
      ", runs without an acknowledgement: ", runs_without_acknowledgement, "\n",
      "deadlines overdue at restart: ", overdue_deadlines, " (the slowest fired ",
      slowest_overdue_fire_ms, " ms after the restart)\n", "conditional contracts: ", covers_funded,
      " funded, ", covers_settled, " seen settled by an attestation, ", covers_refunded,
      " seen refunded at the hard deadline; ", settled_contracts,
      " contracts seen ended, their receipts checked ", settled_checked_after_restart,
      " times after restarts\n", "journal records: ", journal_records, "\n",
      "violations: ", violation_count, "\n");
  for (const std::string& violation : violations) text += Concat("  ", violation, "\n");
  char seconds_text[32];
  std::snprintf(seconds_text, sizeof seconds_text, "%.1f", seconds);
  return text + Concat("time: ", seconds_text, " s\n");
}

CrashReport RunCrashTest(const CrashOptions& options) { return CrashHarness(options).Run(); }

}  // namespace argentpoche::crash
