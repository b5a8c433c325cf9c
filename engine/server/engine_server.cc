#include "engine/server/engine_server.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "adapters/rocksdb_store.h"
#include "engine/server/escrow_service.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace argentpoche {

absl::StatusOr<SigningKey> LoadOrCreateKey(const std::string& path) {
  std::ifstream in(path);
  if (in) {
    std::string hex;
    in >> hex;
    absl::StatusOr<std::string> seed = FromHex(hex);
    if (!seed.ok()) return FailedPrecondition("BAD_KEY_FILE", Concat(path, " is damaged"));
    return SigningKey::FromSeed(*seed);
  }
  SigningKey key = SigningKey::Generate();
  const std::string temporary = path + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!out) return FailedPrecondition("DATA_DIR", Concat("cannot write ", temporary));
    ::chmod(temporary.c_str(), 0600);
    out << Hex(key.Seed()) << "\n";
    if (!out.flush()) return FailedPrecondition("DATA_DIR", Concat("cannot write ", path));
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return FailedPrecondition("DATA_DIR", Concat("cannot create ", path));
  return key;
}

absl::StatusOr<std::unique_ptr<EngineServer>> EngineServer::Start(const ServerOptions& options,
                                                                  const Clock* clock) {
  if (options.data_dir.empty()) {
    return InvalidArgument("DATA_DIR", "a data directory is required (--data_dir)");
  }
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return FailedPrecondition("DATA_DIR",
                              Concat("cannot create ", options.data_dir, ": ", error.message()));
  }
  POCHE_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ServerCredentials> credentials,
      ServerCredentialsFor(options.tls, options.listen_address, options.allow_plaintext_remote));
  std::unique_ptr<EngineServer> server(new EngineServer());
  server->mutual_tls_ = options.tls.any();
  POCHE_ASSIGN_OR_RETURN(SigningKey receipt_key, LoadOrCreateKey(options.data_dir + "/engine.key"));
  POCHE_ASSIGN_OR_RETURN(server->store_,
                         RocksDbStore::Open(options.data_dir + "/db", RocksDbStoreOptions()));
  POCHE_ASSIGN_OR_RETURN(server->engine_, Engine::Open(server->store_.get(), clock,
                                                       std::move(receipt_key), options.engine));
  server->service_ = std::make_unique<EscrowService>(server->engine_.get(), server->mutual_tls_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen_address, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(limits::kMaxMessageBytes);
  builder.SetMaxSendMessageSize(limits::kMaxMessageBytes);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return Error(absl::StatusCode::kUnavailable, "LISTEN_FAILED",
                 Concat("cannot listen on ", options.listen_address,
                        server->mutual_tls_
                            ? " (or the TLS certificate, key and client CA do not fit together)"
                            : ""));
  }
  return server;
}

void EngineServer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  engine_.reset();
}

void EngineServer::Wait() { server_->Wait(); }

EngineServer::~EngineServer() {
  if (server_ != nullptr) Shutdown();
  engine_.reset();
  store_.reset();
}

}  // namespace argentpoche
