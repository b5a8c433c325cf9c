#include "bench/load_driver.h"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

#include "engine/check.h"
#include "engine/keys.h"
#include "engine/strings.h"

namespace argentpoche::bench {
namespace {

void SleepSeconds(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "poche-bench-XXXXXX").string();
  POCHE_CHECK(mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

BenchParty::BenchParty()
    : key(SigningKey::Generate()), id(key.key_id()), account_id(keys::PartyAccountId(id, "EUR")) {}

std::vector<std::shared_ptr<grpc::Channel>> LoopbackChannels(int port, size_t count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (size_t index = 0; index < count; ++index) {
    grpc::ChannelArguments arguments;
    // Without this, channels with equal arguments share one connection.
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(grpc::CreateCustomChannel(Concat("127.0.0.1:", port),
                                                 grpc::InsecureChannelCredentials(), arguments));
  }
  return channels;
}

void SetCallDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
}

void LoadResult::Add(LoadResult other) {
  operations += other.operations;
  seconds += other.seconds;
  commits += other.commits;
  latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
  if (failed_clients == 0) first_error = std::move(other.first_error);
  failed_clients += other.failed_clients;
}

double LoadResult::OperationsPerSecond() const {
  return seconds > 0 ? static_cast<double>(operations) / seconds : 0;
}

double LoadResult::CallsPerSecond() const {
  return seconds > 0 ? static_cast<double>(calls()) / seconds : 0;
}

double LoadResult::CallsPerCommit() const {
  return commits > 0 ? static_cast<double>(calls()) / static_cast<double>(commits) : 0;
}

int64_t LoadResult::LatencyPercentileUs(double fraction) const {
  if (latencies_us.empty()) return 0;
  std::vector<int64_t> sorted = latencies_us;
  const size_t rank = std::min(sorted.size() - 1,
                               static_cast<size_t>(fraction * static_cast<double>(sorted.size())));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank),
                   sorted.end());
  return sorted[rank];
}

LoadResult RunLoad(size_t clients, double warmup_seconds, double measure_seconds,
                   const std::function<uint64_t()>& commit_counter, const Operation& operation) {
  std::atomic<bool> measuring{false};
  std::atomic<bool> stopping{false};
  std::vector<ClientMeter> meters;
  meters.reserve(clients);
  for (size_t client = 0; client < clients; ++client) meters.emplace_back(&measuring);
  std::mutex error_mutex;
  LoadResult result;

  std::vector<std::thread> threads;
  for (size_t client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      ClientMeter& meter = meters[client];
      meter.latencies_us().reserve(1 << 16);
      while (!stopping.load(std::memory_order_relaxed)) {
        grpc::Status status = operation(client, meter);
        if (!status.ok()) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (result.failed_clients++ == 0) {
            result.first_error = Concat("client ", client, ": ", status.error_message());
          }
          return;
        }
      }
    });
  }
  SleepSeconds(warmup_seconds);
  const uint64_t commits_before = commit_counter ? commit_counter() : 0;
  const auto start = std::chrono::steady_clock::now();
  measuring.store(true);
  SleepSeconds(measure_seconds);
  measuring.store(false);
  const auto end = std::chrono::steady_clock::now();
  const uint64_t commits_after = commit_counter ? commit_counter() : 0;
  stopping.store(true);
  for (std::thread& thread : threads) thread.join();

  for (ClientMeter& meter : meters) {
    result.operations += meter.operations();
    result.latencies_us.insert(result.latencies_us.end(), meter.latencies_us().begin(),
                               meter.latencies_us().end());
  }
  result.seconds = std::chrono::duration<double>(end - start).count();
  result.commits = commits_after - commits_before;
  return result;
}

grpc::Status RunOnEachClient(size_t clients, const std::function<grpc::Status(size_t)>& task) {
  std::mutex error_mutex;
  grpc::Status first_error;
  std::vector<std::thread> threads;
  for (size_t client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      grpc::Status status = task(client);
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!status.ok() && first_error.ok()) first_error = status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  return first_error;
}

}  // namespace argentpoche::bench
