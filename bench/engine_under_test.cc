#include "bench/engine_under_test.h"

#include <cstdio>
#include <cstdlib>

#include "engine/check.h"
#include "engine/strings.h"

namespace argentpoche::bench {

EngineUnderTest::EngineUnderTest(const ScenarioOptions& options, size_t party_count,
                                 const Clock* clock, int64_t scheduler_poll_ms)
    : clock_(clock != nullptr ? clock : &system_clock_), parties_(party_count) {
  ServerOptions server_options;
  server_options.listen_address = "127.0.0.1:0";
  server_options.data_dir = dir_.path();
  server_options.engine.operator_public_keys = {operator_.key.public_key()};
  server_options.engine.max_batch_commands = options.max_batch_commands;
  server_options.engine.write_mode = WriteMode::kSync;
  server_options.engine.scheduler_poll_ms = scheduler_poll_ms;
  // The benchmark measures the engine, not the per-caller rate limit.
  server_options.engine.rate_limit.per_second = 0;
  absl::StatusOr<std::unique_ptr<EngineServer>> server =
      EngineServer::Start(server_options, clock_);
  POCHE_CHECK(server.ok());
  server_ = *std::move(server);
  for (const auto& channel : LoopbackChannels(server_->port(), options.channels)) {
    stubs_.push_back(v1::EscrowEngine::NewStub(channel));
  }
  Enroll(options.clients);
}

void EngineUnderTest::Enroll(size_t clients) {
  const grpc::Status status = RunOnEachClient(clients, [&](size_t client) {
    grpc::Status called;
    for (size_t index = client; index < parties_.size() && called.ok(); index += clients) {
      const BenchParty& party = parties_[index];
      v1::Command registration;
      registration.mutable_register_party()->set_public_key(party.key.public_key());
      registration.mutable_register_party()->set_display_name(Concat("bench party ", index));
      v1::Party registered;
      called = Call(client, &v1::EscrowEngine::Stub::RegisterParty, party, "register", registration,
                    &registered);
      v1::Command open;
      open.mutable_open_account()->set_currency("EUR");
      v1::Account account;
      if (called.ok()) {
        called = Call(client, &v1::EscrowEngine::Stub::OpenAccount, party, "open", open, &account);
      }
      v1::Command credit;
      v1::CreditAccount* action = credit.mutable_credit_account();
      action->set_account_id(party.account_id);
      action->mutable_amount()->set_currency("EUR");
      action->mutable_amount()->set_minor_units(kCreditMinorUnits);
      action->set_reference("bench");
      v1::Transfer transfer;
      if (called.ok()) {
        called = Call(client, &v1::EscrowEngine::Stub::CreditAccount, operator_,
                      Concat("credit-", party.id), credit, &transfer);
      }
    }
    return called;
  });
  if (!status.ok()) {
    std::fprintf(stderr, "engine_bench: enrolment failed: %s\n", status.error_message().c_str());
    std::exit(1);
  }
}

}  // namespace argentpoche::bench
