// The workloads of engine_bench. Each Start* function starts its own server on a fresh
// data directory (removed when the scenario is destroyed), prepares its parties before
// any timing, and returns a Scenario whose Iterate() is one client's loop body. Every
// request is signed freshly, with the current time, by the client that sends it.
//
//   holds     CreateHold (1 cent from the client's account to the next party's,
//             expiring in an hour), then ReleaseHold: one hold = two signed calls to a
//             real EngineServer (RocksDB, synced writes, scheduler on, one operator);
//   deposits  a full deposit lifecycle among the client's own tenant, landlord and
//             arbiter: create, sign x3, fund, propose, accept = 7 signed calls;
//   floor     the same two signed hold commands, each sent to the no-ledger
//             FloorServer (bench/floor_server.h).
//
// Iterate() may be called concurrently for different clients, never for the same one.
// Aborts (POCHE_CHECK or exit 1 with a message) when a server cannot start or set up.
#ifndef ARGENTPOCHE_BENCH_SCENARIOS_H_
#define ARGENTPOCHE_BENCH_SCENARIOS_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "bench/load_driver.h"
#include "engine/limits.h"
#include "grpcpp/grpcpp.h"

namespace argentpoche::bench {

class Scenario {
 public:
  virtual ~Scenario() = default;
  // One iteration of client `client`'s loop; the first failed call's status.
  virtual grpc::Status Iterate(size_t client, ClientMeter& meter) = 0;
  // Synced writes the server has made so far.
  virtual uint64_t commits() const = 0;
};

struct ScenarioOptions {
  size_t clients = 32;
  // gRPC channels (TCP connections) the clients share, client i using channel i % n.
  size_t channels = 1;
  // The server's group commit bound: 1 is one fsync per command.
  size_t max_batch_commands = limits::kMaxBatchCommands;
};

std::unique_ptr<Scenario> StartHolds(const ScenarioOptions& options);
std::unique_ptr<Scenario> StartDeposits(const ScenarioOptions& options);
std::unique_ptr<Scenario> StartFloor(const ScenarioOptions& options);

}  // namespace argentpoche::bench

#endif  // ARGENTPOCHE_BENCH_SCENARIOS_H_
