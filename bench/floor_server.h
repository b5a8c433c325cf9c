// FloorServer: the benchmark's floor, what every signed call to the engine costs with
// no ledger at all. Its one gRPC method (argentpoche.bench.Floor/Append, callback API,
// on 127.0.0.1) verifies the SignedCommand's Ed25519 signature against the signer's
// public key (known up front: no party lookup, no parsing of the command), then hands
// the signed body to one writer thread that appends every waiting body (up to
// `max_batch_commands`) to RocksDB, through the same RocksDbStore adapter as the
// engine, in one synced write, and answers each call once its write is durable.
//
// Thread-safe. Bench only.
#ifndef ARGENTPOCHE_BENCH_FLOOR_SERVER_H_
#define ARGENTPOCHE_BENCH_FLOOR_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/limits.h"
#include "engine/store.h"
#include "grpcpp/server.h"

namespace argentpoche::bench {

struct FloorOptions {
  // RocksDB goes in data_dir/db; created when missing.
  std::string data_dir;
  // Raw Ed25519 public keys of the parties allowed to call.
  std::vector<std::string> public_keys;
  size_t max_batch_commands = limits::kMaxBatchCommands;
  WriteMode write_mode = WriteMode::kSync;
};

class SyncedLog;
class FloorService;

class FloorServer {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<FloorServer>> Start(
      const FloorOptions& options);
  // Finishes the calls in flight, then stops the writer and closes the store.
  ~FloorServer();

  int port() const { return port_; }
  // Synced writes made so far.
  uint64_t batches_committed() const;

 private:
  FloorServer() = default;

  std::unique_ptr<Store> store_;
  std::unique_ptr<SyncedLog> log_;
  std::unique_ptr<FloorService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace argentpoche::bench

#endif  // ARGENTPOCHE_BENCH_FLOOR_SERVER_H_
