// The clients' way to the engine across kills and restarts, and the gRPC helpers the
// crash harness shares.
//
// EngineLink holds the stub of the engine currently serving. The harness Publish()es a
// new stub after each restart (a new generation) and Withdraw()s it when it kills the
// engine; clients Acquire() a CallPermit for each call, which blocks while the engine is
// withdrawn, so that no client call reaches a restarted engine before the harness has
// checked it. WaitForCallsToEnd() lets the harness wait until no call is in flight.
//
// Thread-safe.
#ifndef ARGENTPOCHE_TESTS_CRASH_ENGINE_LINK_H_
#define ARGENTPOCHE_TESTS_CRASH_ENGINE_LINK_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "argentpoche/v1/command.pb.h"
#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace argentpoche::crash {

using Stub = v1::EscrowEngine::Stub;

// A stub on loopback `port`, on a fresh channel.
std::shared_ptr<Stub> ConnectTo(int port);

class EngineLink;

// Permission to make one call with `stub()`; the call counts as in flight until the
// permit is destroyed. An empty permit (!valid()) means the run is shutting down.
class CallPermit {
 public:
  CallPermit() = default;
  CallPermit(CallPermit&& other) noexcept;
  CallPermit& operator=(CallPermit&&) = delete;
  ~CallPermit();

  bool valid() const { return link_ != nullptr; }
  Stub& stub() const { return *stub_; }
  // The engine run the stub talks to: 1 for the first start, +1 per restart.
  int64_t generation() const { return generation_; }

 private:
  friend class EngineLink;
  CallPermit(EngineLink* link, std::shared_ptr<Stub> stub, int64_t generation)
      : link_(link), stub_(std::move(stub)), generation_(generation) {}

  EngineLink* link_ = nullptr;
  std::shared_ptr<Stub> stub_;
  int64_t generation_ = 0;
};

class EngineLink {
 public:
  // Blocks while the engine is withdrawn; an empty permit once Shutdown() was called.
  CallPermit Acquire();
  // Clients may call `stub` (a new generation starts).
  void Publish(std::shared_ptr<Stub> stub);
  // New calls wait until the next Publish().
  void Withdraw();
  // Waits up to `timeout_ms` until no permit is alive; false on timeout.
  bool WaitForCallsToEnd(int64_t timeout_ms);
  // Every waiting and future Acquire() returns an empty permit.
  void Shutdown();
  // Clients finish the operation they are in and stop (the engine keeps serving).
  void RequestStop();
  bool stop_requested() const;
  int64_t generation() const;

 private:
  friend class CallPermit;
  void Release();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::shared_ptr<Stub> stub_;
  bool serving_ = false;
  bool shut_down_ = false;
  bool stop_requested_ = false;
  int64_t generation_ = 0;
  int64_t calls_in_flight_ = 0;
};

// Sends the signed command to the EscrowEngine method of `action` with a deadline of
// `timeout_ms`; on OK, `response` holds the serialized answer (a Party, Account,
// Transfer, Hold or Contract).
grpc::Status SendCommand(Stub& stub, v1::Command::ActionCase action,
                         const v1::SignedCommand& request, int64_t timeout_ms,
                         std::string* response);

// The engine's reason (google.rpc.ErrorInfo.reason) in an error, "" when there is none
// (transport errors carry none).
std::string ErrorReason(const grpc::Status& status);

// True for failures that say nothing about whether the command was applied: the
// connection broke, the engine was down or busy, or the deadline passed. The client
// must send the very same signed bytes again.
bool IsInDoubt(const grpc::Status& status);

// The current wall time in Unix milliseconds (the engine's clock too).
int64_t WallNowMs();

}  // namespace argentpoche::crash

#endif  // ARGENTPOCHE_TESTS_CRASH_ENGINE_LINK_H_
