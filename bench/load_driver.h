// Pieces shared by the benchmarks: a scratch directory, generated parties, loopback
// channels, and a load driver that runs one operation in a loop on many client threads
// and measures operations per second and per-call latency over a fixed window.
//
//   LoadResult result = RunLoad(32, /*warmup_seconds=*/1, /*measure_seconds=*/5, nullptr,
//       [&](size_t client, ClientMeter& meter) {
//         grpc::Status status = meter.Time([&] { return stub->Call(...); });
//         if (status.ok()) meter.OperationDone();
//         return status;
//       });
//
// Not for production use: generated keys live only in memory.
#ifndef ARGENTPOCHE_BENCH_LOAD_DRIVER_H_
#define ARGENTPOCHE_BENCH_LOAD_DRIVER_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/crypto.h"
#include "grpcpp/grpcpp.h"

namespace argentpoche::bench {

// A fresh directory under the system temp dir, removed (recursively) on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A party with a freshly generated key and its EUR account id.
struct BenchParty {
  BenchParty();
  SigningKey key;
  std::string id;
  std::string account_id;
};

// `count` channels to 127.0.0.1:`port`, each on its own TCP connection.
std::vector<std::shared_ptr<grpc::Channel>> LoopbackChannels(int port, size_t count);

// A ClientContext deadline far enough for any call of a loaded server.
void SetCallDeadline(grpc::ClientContext& context);

// What one client thread measured. Used by one thread only.
class ClientMeter {
 public:
  explicit ClientMeter(const std::atomic<bool>* measuring) : measuring_(measuring) {}

  // Runs `call` (returning grpc::Status); its latency counts if the window is open.
  template <typename Call>
  grpc::Status Time(Call&& call) {
    const auto start = std::chrono::steady_clock::now();
    grpc::Status status = call();
    const auto end = std::chrono::steady_clock::now();
    if (measuring_->load(std::memory_order_relaxed)) {
      latencies_us_.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(end - start).count());
    }
    return status;
  }
  // One whole operation (a hold, a lifecycle) completed.
  void OperationDone() {
    if (measuring_->load(std::memory_order_relaxed)) ++operations_;
  }

  uint64_t operations() const { return operations_; }
  std::vector<int64_t>& latencies_us() { return latencies_us_; }

 private:
  const std::atomic<bool>* const measuring_;
  uint64_t operations_ = 0;
  std::vector<int64_t> latencies_us_;
};

// What a load run measured; results of several runs of the same scenario add up.
struct LoadResult {
  uint64_t operations = 0;
  double seconds = 0;
  // Synced writes made during the window, when a counter was given.
  uint64_t commits = 0;
  // Every measured call's latency.
  std::vector<int64_t> latencies_us;
  uint64_t failed_clients = 0;
  std::string first_error;

  void Add(LoadResult other);
  uint64_t calls() const { return latencies_us.size(); }
  double OperationsPerSecond() const;
  double CallsPerSecond() const;
  double CallsPerCommit() const;
  // The latency below which `fraction` of the calls fall (nearest rank); 0 when none.
  int64_t LatencyPercentileUs(double fraction) const;
};

// One iteration of a client's loop (a hold, a lifecycle): the first failed call's
// status, which stops that client.
using Operation = std::function<grpc::Status(size_t client, ClientMeter& meter)>;

// Runs `operation` in a loop on `clients` threads: `warmup_seconds` unmeasured, then
// `measure_seconds` measured, then waits for every client to finish its iteration.
// `commit_counter` (may be null) is read at the window's start and end.
LoadResult RunLoad(size_t clients, double warmup_seconds, double measure_seconds,
                   const std::function<uint64_t()>& commit_counter, const Operation& operation);

// Runs `task(client)` once on each of `clients` threads; the first error, or OK.
grpc::Status RunOnEachClient(size_t clients, const std::function<grpc::Status(size_t)>& task);

}  // namespace argentpoche::bench

#endif  // ARGENTPOCHE_BENCH_LOAD_DRIVER_H_
