#include "bench/scenarios.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "argentpoche/bench/floor.grpc.pb.h"
#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "bench/engine_under_test.h"
#include "bench/floor_server.h"
#include "engine/check.h"
#include "engine/clock.h"
#include "engine/command_signing.h"
#include "engine/server/engine_server.h"
#include "engine/strings.h"

namespace argentpoche::bench {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int64_t kDepositMinorUnits = 120000;
constexpr int64_t kLandlordShareMinorUnits = 15000;

v1::Command CreateHoldCommand(const BenchParty& payer, const BenchParty& beneficiary,
                              int64_t now_unix_ms) {
  v1::Command command;
  v1::CreateHold* hold = command.mutable_create_hold();
  hold->set_payer_account_id(payer.account_id);
  hold->set_beneficiary_account_id(beneficiary.account_id);
  hold->mutable_amount()->set_currency("EUR");
  hold->mutable_amount()->set_minor_units(1);
  hold->set_expires_at_unix_ms(now_unix_ms + kHourMs);
  return command;
}

v1::Command ReleaseHoldCommand(const std::string& hold_id) {
  v1::Command command;
  command.mutable_release_hold()->set_hold_id(hold_id);
  return command;
}

v1::Command CreateDepositCommand(const BenchParty& tenant, const BenchParty& landlord,
                                 const BenchParty& arbiter, int64_t now_unix_ms,
                                 const std::string& description) {
  v1::ContractTerms terms;
  v1::DepositTerms* deposit = terms.mutable_deposit();
  deposit->set_tenant_party_id(tenant.id);
  deposit->set_landlord_party_id(landlord.id);
  deposit->set_arbiter_party_id(arbiter.id);
  deposit->mutable_amount()->set_currency("EUR");
  deposit->mutable_amount()->set_minor_units(kDepositMinorUnits);
  deposit->set_fund_by_unix_ms(now_unix_ms + kHourMs);
  deposit->set_return_by_unix_ms(now_unix_ms + 30 * kDayMs);
  deposit->set_contest_window_ms(7 * kDayMs);
  deposit->set_description(description);
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  return command;
}

v1::Command ProposeSplitCommand(const std::string& contract_id, const BenchParty& landlord,
                                const BenchParty& tenant) {
  v1::Command command;
  v1::ProposeSplit* split = command.mutable_propose_split();
  split->set_contract_id(contract_id);
  for (const auto& [party, amount] :
       {std::pair{&landlord, kLandlordShareMinorUnits},
        std::pair{&tenant, kDepositMinorUnits - kLandlordShareMinorUnits}}) {
    v1::Payout* payout = split->add_payouts();
    payout->set_party_id(party->id);
    payout->mutable_amount()->set_currency("EUR");
    payout->mutable_amount()->set_minor_units(amount);
  }
  return command;
}

// Client i pays party i + 1, so nobody holds for itself.
class HoldsScenario final : public Scenario {
 public:
  explicit HoldsScenario(const ScenarioOptions& options)
      : engine_(options, options.clients + 1), iterations_(options.clients) {}

  grpc::Status Iterate(size_t client, ClientMeter& meter) override {
    const uint64_t iteration = iterations_[client]++;
    const BenchParty& payer = engine_.party(client);
    v1::Hold hold;
    grpc::Status status = engine_.Call(
        client, &v1::EscrowEngine::Stub::CreateHold, payer, Concat("hold-", iteration),
        CreateHoldCommand(payer, engine_.party(client + 1), engine_.NowUnixMs()), &hold, &meter);
    if (!status.ok()) return status;
    status =
        engine_.Call(client, &v1::EscrowEngine::Stub::ReleaseHold, payer,
                     Concat("release-", iteration), ReleaseHoldCommand(hold.id()), &hold, &meter);
    if (status.ok()) meter.OperationDone();
    return status;
  }
  uint64_t commits() const override { return engine_.commits(); }

 private:
  EngineUnderTest engine_;
  // Per client; each element is touched by its client's thread only.
  std::vector<uint64_t> iterations_;
};

// Client i's tenant, landlord and arbiter are parties 3i, 3i + 1 and 3i + 2.
class DepositsScenario final : public Scenario {
 public:
  explicit DepositsScenario(const ScenarioOptions& options)
      : engine_(options, 3 * options.clients), iterations_(options.clients) {}

  grpc::Status Iterate(size_t client, ClientMeter& meter) override {
    using Stub = v1::EscrowEngine::Stub;
    const uint64_t iteration = iterations_[client]++;
    const BenchParty& tenant = engine_.party(3 * client);
    const BenchParty& landlord = engine_.party(3 * client + 1);
    const BenchParty& arbiter = engine_.party(3 * client + 2);
    const auto step = [&](std::string_view name) { return Concat(name, "-", iteration); };
    v1::Contract contract;
    grpc::Status status =
        engine_.Call(client, &Stub::CreateContract, landlord, step("create"),
                     CreateDepositCommand(tenant, landlord, arbiter, engine_.NowUnixMs(),
                                          Concat("bench deposit ", client, "/", iteration)),
                     &contract, &meter);
    for (const BenchParty* party : {&tenant, &landlord, &arbiter}) {
      if (!status.ok()) return status;
      v1::Command sign;
      sign.mutable_sign_contract()->set_contract_id(contract.id());
      sign.mutable_sign_contract()->set_signature(
          SignContractTerms(contract.terms_hash(), party->key));
      status =
          engine_.Call(client, &Stub::SignContract, *party, step("sign"), sign, &contract, &meter);
    }
    if (!status.ok()) return status;
    v1::Command fund;
    fund.mutable_fund_contract()->set_contract_id(contract.id());
    status =
        engine_.Call(client, &Stub::FundContract, tenant, step("fund"), fund, &contract, &meter);
    if (!status.ok()) return status;
    status = engine_.Call(client, &Stub::ProposeSplit, landlord, step("propose"),
                          ProposeSplitCommand(contract.id(), landlord, tenant), &contract, &meter);
    if (!status.ok()) return status;
    v1::Command accept;
    accept.mutable_accept_split()->set_contract_id(contract.id());
    accept.mutable_accept_split()->set_proposal_number(contract.proposal().number());
    status =
        engine_.Call(client, &Stub::AcceptSplit, tenant, step("accept"), accept, &contract, &meter);
    if (!status.ok()) return status;
    if (contract.state() != v1::CONTRACT_STATE_SETTLED) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "the deposit did not settle");
    }
    meter.OperationDone();
    return status;
  }
  uint64_t commits() const override { return engine_.commits(); }

 private:
  EngineUnderTest engine_;
  std::vector<uint64_t> iterations_;
};

// The holds scenario's clients and commands against the FloorServer. The release names
// a made-up hold id: the floor does not look inside what it appends.
class FloorScenario final : public Scenario {
 public:
  explicit FloorScenario(const ScenarioOptions& options)
      : parties_(options.clients + 1), iterations_(options.clients) {
    FloorOptions floor_options;
    floor_options.data_dir = dir_.path();
    for (const BenchParty& party : parties_) {
      floor_options.public_keys.push_back(party.key.public_key());
    }
    floor_options.max_batch_commands = options.max_batch_commands;
    floor_options.write_mode = WriteMode::kSync;
    absl::StatusOr<std::unique_ptr<FloorServer>> server = FloorServer::Start(floor_options);
    POCHE_CHECK(server.ok());
    server_ = *std::move(server);
    for (const auto& channel : LoopbackChannels(server_->port(), options.channels)) {
      stubs_.push_back(Floor::NewStub(channel));
    }
  }

  grpc::Status Iterate(size_t client, ClientMeter& meter) override {
    const uint64_t iteration = iterations_[client]++;
    const BenchParty& payer = parties_[client];
    AppendReply reply;
    grpc::Status status =
        Append(client, payer, Concat("hold-", iteration),
               CreateHoldCommand(payer, parties_[client + 1], clock_.NowUnixMs()), &reply, meter);
    if (!status.ok()) return status;
    status = Append(client, payer, Concat("release-", iteration),
                    ReleaseHoldCommand(Concat("h", reply.sequence())), &reply, meter);
    if (status.ok()) meter.OperationDone();
    return status;
  }
  uint64_t commits() const override { return server_->batches_committed(); }

 private:
  grpc::Status Append(size_t client, const BenchParty& party, std::string request_id,
                      v1::Command command, AppendReply* reply, ClientMeter& meter) {
    command.set_request_id(std::move(request_id));
    const v1::SignedCommand request =
        SignCommand(std::move(command), party.key, clock_.NowUnixMs());
    grpc::ClientContext context;
    SetCallDeadline(context);
    Floor::Stub& stub = *stubs_[client % stubs_.size()];
    return meter.Time([&] { return stub.Append(&context, request, reply); });
  }

  ScratchDir dir_;
  SystemClock clock_;
  const std::vector<BenchParty> parties_;
  std::vector<uint64_t> iterations_;
  std::unique_ptr<FloorServer> server_;
  std::vector<std::unique_ptr<Floor::Stub>> stubs_;
};

}  // namespace

std::unique_ptr<Scenario> StartHolds(const ScenarioOptions& options) {
  return std::make_unique<HoldsScenario>(options);
}
std::unique_ptr<Scenario> StartDeposits(const ScenarioOptions& options) {
  return std::make_unique<DepositsScenario>(options);
}
std::unique_ptr<Scenario> StartFloor(const ScenarioOptions& options) {
  return std::make_unique<FloorScenario>(options);
}

}  // namespace argentpoche::bench
