#include "bench/floor_server.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "adapters/rocksdb_store.h"
#include "argentpoche/bench/floor.grpc.pb.h"
#include "engine/crypto.h"
#include "engine/envelope.h"
#include "engine/keys.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace argentpoche::bench {

// The group-committing writer: one thread appends what is waiting, in one synced
// write per batch, then runs each body's callback with its sequence (or the error).
class SyncedLog {
 public:
  using Done = std::function<void(absl::StatusOr<uint64_t> sequence)>;

  SyncedLog(Store* store, size_t max_batch_commands, WriteMode write_mode)
      : store_(store),
        max_batch_commands_(max_batch_commands),
        write_mode_(write_mode),
        writer_([this] { WriterLoop(); }) {}

  // Applies what is queued, then stops the writer.
  ~SyncedLog() {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
    }
    writer_.join();
  }

  void Append(std::string body, Done done) {
    absl::MutexLock lock(&mutex_);
    queue_.push_back({std::move(body), std::move(done)});
  }

  uint64_t batches_committed() const {
    absl::MutexLock lock(&mutex_);
    return batches_committed_;
  }

 private:
  struct Entry {
    std::string body;
    Done done;
  };

  void WriterLoop() {
    uint64_t next_sequence = 1;
    for (;;) {
      std::vector<Entry> batch;
      {
        absl::MutexLock lock(&mutex_);
        mutex_.Await(absl::Condition(
            +[](SyncedLog* log) ABSL_EXCLUSIVE_LOCKS_REQUIRED(log->mutex_) {
              return log->stopping_ || !log->queue_.empty();
            },
            this));
        if (queue_.empty()) return;
        while (!queue_.empty() && batch.size() < max_batch_commands_) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      const uint64_t first_sequence = next_sequence;
      WriteBatch writes;
      for (Entry& entry : batch) {
        writes.Put(Table::kJournal, keys::Padded(next_sequence++), std::move(entry.body));
      }
      const absl::Status written = store_->Write(writes, write_mode_);
      if (written.ok()) {
        absl::MutexLock lock(&mutex_);
        ++batches_committed_;
      }
      for (size_t index = 0; index < batch.size(); ++index) {
        batch[index].done(written.ok() ? absl::StatusOr<uint64_t>(first_sequence + index)
                                       : absl::StatusOr<uint64_t>(written));
      }
    }
  }

  Store* const store_;
  const size_t max_batch_commands_;
  const WriteMode write_mode_;
  mutable absl::Mutex mutex_;
  std::deque<Entry> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  uint64_t batches_committed_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread writer_;  // Last: starts once the rest is constructed.
};

class FloorService final : public Floor::CallbackService {
 public:
  FloorService(SyncedLog* log, const std::vector<std::string>& public_keys) : log_(log) {
    for (const std::string& public_key : public_keys) {
      public_keys_by_id_[KeyIdOf(public_key)] = public_key;
    }
  }

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* context,
                                   const v1::SignedCommand* request, AppendReply* reply) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const v1::SignedEnvelope& envelope = request->envelope();
    const auto public_key = public_keys_by_id_.find(envelope.key_id());
    if (public_key == public_keys_by_id_.end()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown signer"));
      return reactor;
    }
    const absl::StatusOr<std::string> payload =
        OpenEnvelope(envelope, domain::kCommand, public_key->second);
    if (!payload.ok()) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(payload.status().message())));
      return reactor;
    }
    log_->Append(envelope.body(), [reactor, reply](absl::StatusOr<uint64_t> sequence) {
      if (!sequence.ok()) {
        reactor->Finish(
            grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(sequence.status().message())));
        return;
      }
      reply->set_sequence(*sequence);
      reactor->Finish(grpc::Status::OK);
    });
    return reactor;
  }

 private:
  SyncedLog* const log_;
  // Constant after construction.
  std::unordered_map<std::string, std::string> public_keys_by_id_;
};

absl::StatusOr<std::unique_ptr<FloorServer>> FloorServer::Start(const FloorOptions& options) {
  std::unique_ptr<FloorServer> server(new FloorServer());
  POCHE_ASSIGN_OR_RETURN(server->store_,
                         RocksDbStore::Open(options.data_dir + "/db", RocksDbStoreOptions()));
  server->log_ = std::make_unique<SyncedLog>(server->store_.get(), options.max_batch_commands,
                                             options.write_mode);
  server->service_ = std::make_unique<FloorService>(server->log_.get(), options.public_keys);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(limits::kMaxMessageBytes);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return Error(absl::StatusCode::kUnavailable, "LISTEN_FAILED", "cannot listen on loopback");
  }
  return server;
}

FloorServer::~FloorServer() {
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  log_.reset();
  server_.reset();
  service_.reset();
  store_.reset();
}

uint64_t FloorServer::batches_committed() const { return log_->batches_committed(); }

}  // namespace argentpoche::bench
