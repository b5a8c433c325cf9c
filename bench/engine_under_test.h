// EngineUnderTest: a real EngineServer (RocksDB in a scratch directory, synced writes,
// no rate limit) on loopback for the benchmarks, its operator, `party_count` parties
// enrolled with a EUR account credited plenty, and the clients' stubs. The scenarios of
// engine_bench drive it (bench/scenarios.h, bench/oracle_scenarios.h).
//
//   EngineUnderTest engine(options, /*party_count=*/33);
//   v1::Hold hold;
//   grpc::Status status = engine.Call(client, &v1::EscrowEngine::Stub::CreateHold,
//                                     engine.party(0), "hold-1", command, &hold, &meter);
//
// Thread-safe: Call() may run on many client threads at once. Aborts (POCHE_CHECK, or exit
// 1 with a message) when the server cannot start or the enrolment fails.
#ifndef ARGENTPOCHE_BENCH_ENGINE_UNDER_TEST_H_
#define ARGENTPOCHE_BENCH_ENGINE_UNDER_TEST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "bench/load_driver.h"
#include "bench/scenarios.h"
#include "engine/clock.h"
#include "engine/command_signing.h"
#include "engine/server/engine_server.h"

namespace argentpoche::bench {

template <typename Response>
using EngineMethod = grpc::Status (v1::EscrowEngine::Stub::*)(grpc::ClientContext*,
                                                              const v1::SignedCommand&, Response*);

// What every party is credited at enrolment, in EUR minor units.
inline constexpr int64_t kCreditMinorUnits = 1'000'000'000'000;

class EngineUnderTest {
 public:
  // With `clock` null the server and the signers use the system clock; otherwise
  // `clock` (which must outlive this). `scheduler_poll_ms` 0 turns the deadline
  // scheduler off.
  EngineUnderTest(const ScenarioOptions& options, size_t party_count, const Clock* clock = nullptr,
                  int64_t scheduler_poll_ms = 200);
  EngineUnderTest(const EngineUnderTest&) = delete;
  EngineUnderTest& operator=(const EngineUnderTest&) = delete;

  // Signs `command` as `party` now and calls `method` on the stub of `client`; timed
  // by `meter` when given.
  template <typename Response>
  grpc::Status Call(size_t client, EngineMethod<Response> method, const BenchParty& party,
                    std::string request_id, v1::Command command, Response* response,
                    ClientMeter* meter = nullptr) {
    command.set_request_id(std::move(request_id));
    const v1::SignedCommand request = SignCommand(std::move(command), party.key, NowUnixMs());
    grpc::ClientContext context;
    SetCallDeadline(context);
    v1::EscrowEngine::Stub& stub = *stubs_[client % stubs_.size()];
    const auto call = [&] { return (stub.*method)(&context, request, response); };
    return meter != nullptr ? meter->Time(call) : call();
  }

  const BenchParty& party(size_t index) const { return parties_[index]; }
  size_t party_count() const { return parties_.size(); }
  const BenchParty& operator_party() const { return operator_; }
  int64_t NowUnixMs() const { return clock_->NowUnixMs(); }
  uint64_t commits() const { return server_->engine().batches_committed(); }

 private:
  // Registers every party, opens its EUR account and credits it plenty, spread over
  // `clients` threads. Exits on error.
  void Enroll(size_t clients);

  ScratchDir dir_;
  SystemClock system_clock_;
  const Clock* const clock_;
  BenchParty operator_;
  std::vector<BenchParty> parties_;
  std::unique_ptr<EngineServer> server_;
  std::vector<std::unique_ptr<v1::EscrowEngine::Stub>> stubs_;
};

}  // namespace argentpoche::bench

#endif  // ARGENTPOCHE_BENCH_ENGINE_UNDER_TEST_H_
