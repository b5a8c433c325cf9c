// Test harness: the real engine server on a loopback port, a real RocksDB in a fresh
// temporary directory, and a manual clock; plus signing clients for test parties.
// It can stop and restart the server on the same directory. Not thread-safe except
// where said; one per test.
#ifndef ARGENTPOCHE_TESTS_SUPPORT_TEST_ENGINE_H_
#define ARGENTPOCHE_TESTS_SUPPORT_TEST_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "engine/clock.h"
#include "engine/command_signing.h"
#include "engine/crypto.h"
#include "engine/server/engine_server.h"
#include "grpcpp/grpcpp.h"

namespace argentpoche::testing {

// 2026-11-25 00:00:00 UTC: the manual clock's start.
inline constexpr int64_t kTestEpochMs = 1795564800000;

// A temporary directory removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A party's key (generated from a fixed seed: test keys only) and its id.
struct TestParty {
  explicit TestParty(uint8_t seed_byte);
  SigningKey key;
  std::string id() const { return key.key_id(); }
  std::string account(const std::string& currency) const { return id() + ":" + currency; }
};

class TestEngine {
 public:
  // Starts a server whose clock reads `clock_start_unix_ms`; the operator party is
  // enrolled.
  explicit TestEngine(EngineOptions options = {}, int64_t clock_start_unix_ms = kTestEpochMs);
  ~TestEngine();

  void Stop();
  void Restart();

  ManualClock& clock() { return clock_; }
  EngineServer& server() { return *server_; }
  Store& store() { return server_->store(); }
  v1::EscrowEngine::Stub& stub() { return *stub_; }
  const TestParty& operator_party() const { return operator_; }

  // Signs `command` as `party` with request id `request_id` at the clock's time and
  // calls `method` (e.g. &v1::EscrowEngine::Stub::OpenAccount) with a 10 s deadline.
  template <typename Response>
  grpc::Status Call(grpc::Status (v1::EscrowEngine::Stub::*method)(grpc::ClientContext*,
                                                                   const v1::SignedCommand&,
                                                                   Response*),
                    const TestParty& party, const std::string& request_id, v1::Command command,
                    Response* response) {
    command.set_request_id(request_id);
    return Send(method, SignCommand(std::move(command), party.key, clock_.NowUnixMs()), response);
  }
  template <typename Response>
  grpc::Status Send(grpc::Status (v1::EscrowEngine::Stub::*method)(grpc::ClientContext*,
                                                                   const v1::SignedCommand&,
                                                                   Response*),
                    const v1::SignedCommand& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub_.get()->*method)(&context, request, response);
  }

  // Registers the party and opens its account in each currency; aborts the test on error.
  void Enroll(const TestParty& party, const std::string& name,
              const std::vector<std::string>& currencies);
  // Operator credit of `minor_units` to `account_id`.
  grpc::Status Credit(const std::string& account_id, const std::string& currency,
                      int64_t minor_units, const std::string& request_id);
  // Balance of an account in minor units (aborts the test when absent).
  int64_t Balance(const std::string& account_id);
  // The contract's settlement receipt, checked against the engine's receipt key and the
  // contract's id and terms hash; fails the test if it is not.
  v1::SettlementReceipt VerifiedReceipt(const v1::Contract& contract);
  // Records in the journal, after checking its hash chain (fails the test if it breaks).
  uint64_t VerifiedJournalRecords();
  // Advances the clock and fires what is due; returns how many deadlines fired.
  size_t AdvanceAndFire(int64_t delta_ms);

 private:
  void StartServer();

  TempDir dir_;
  ManualClock clock_;
  EngineOptions options_;
  TestParty operator_{0xee};
  std::unique_ptr<EngineServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::EscrowEngine::Stub> stub_;
  int request_counter_ = 0;
};

// The reason in a gRPC error's details (ErrorInfo.reason), "" when there is none.
std::string ReasonOf(const grpc::Status& status);

}  // namespace argentpoche::testing

#endif  // ARGENTPOCHE_TESTS_SUPPORT_TEST_ENGINE_H_
