// EngineServer: the one place that assembles the engine process: the RocksDB store in
// the data directory, the receipt key (created on first start), the Engine, and the
// gRPC server with the EscrowEngine service, health checking and reflection.
//
// Transport: with a certificate, its key and a client CA the server speaks TLS and
// requires every client to present a certificate that CA issued (mTLS); the parties a
// certificate names bind the commands its connections may send (peer_identity.h).
// Without them it speaks plaintext, which it accepts on a loopback address only unless
// told otherwise.
//
//   ASSIGN_OR_RETURN(auto server, EngineServer::Start(options, &clock));
//   server->port();  // the bound port (useful with "127.0.0.1:0")
//   server->Shutdown();
//
// Thread-safe. `clock` must outlive the server.
#ifndef ARGENTPOCHE_ENGINE_SERVER_ENGINE_SERVER_H_
#define ARGENTPOCHE_ENGINE_SERVER_ENGINE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/server/server_credentials.h"
#include "engine/store.h"
#include "grpcpp/server.h"

namespace argentpoche {

struct ServerOptions {
  // host:port; port 0 picks a free one.
  std::string listen_address = "127.0.0.1:0";
  // Created and initialised when empty: db/ (RocksDB) and engine.key (receipt key).
  std::string data_dir;
  EngineOptions engine;
  TlsOptions tls;
  // Serve plaintext on an address other than loopback (behind a proxy that terminates
  // TLS, say). Off: without TLS the server listens on loopback only.
  bool allow_plaintext_remote = false;
};

class EscrowService;

class EngineServer {
 public:
  // Opens the data directory and starts serving. INVALID_ARGUMENT "TLS_INCOMPLETE" when
  // only some TLS files are given, "PLAINTEXT_NOT_LOOPBACK" for plaintext on another
  // address than loopback (unless allowed); FAILED_PRECONDITION "TLS_FILE" when a TLS
  // file cannot be read or holds no PEM; UNAVAILABLE when the store cannot be opened or
  // the address cannot be bound.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<EngineServer>> Start(
      const ServerOptions& options, const Clock* clock);
  // Shuts down (if not done) and closes the store.
  ~EngineServer();

  int port() const { return port_; }
  // True when clients must present a certificate (mTLS).
  bool mutual_tls() const { return mutual_tls_; }
  Engine& engine() { return *engine_; }
  Store& store() { return *store_; }
  // Stops accepting calls, finishes the ones in flight (up to 5 s), stops the engine.
  void Shutdown();
  // Blocks until Shutdown.
  void Wait();

 private:
  EngineServer() = default;

  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<EscrowService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool mutual_tls_ = false;
  bool shut_down_ = false;
};

// Reads the 32-byte key seed stored as hex in `path`, creating it (mode 0600) when
// absent. Used for the engine's receipt key.
[[nodiscard]] absl::StatusOr<SigningKey> LoadOrCreateKey(const std::string& path);

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SERVER_ENGINE_SERVER_H_
