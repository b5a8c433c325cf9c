#include "tests/crash/crash_client.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/command_signing.h"
#include "engine/command_verifier.h"
#include "engine/strings.h"

namespace argentpoche::crash {
namespace {

// Attempts within one engine run before a command counts as never answered.
constexpr int kMaxAttemptsPerRun = 40;
constexpr size_t kPartiesPerClient = 3;
// Parties kPartiesPerClient.. are the client's oracles (no accounts).
constexpr size_t kOraclesPerClient = 3;
constexpr size_t kMaxOpenHolds = 16;
constexpr size_t kMaxOpenDeposits = 4;

SigningKey PartyKey(int client, size_t party) {
  return *SigningKey::FromSeed(Sha256(Concat("poche-crash test party ", client, "/", party)));
}

v1::Money MoneyOf(const std::string& currency, int64_t minor_units) {
  v1::Money money;
  money.set_currency(currency);
  money.set_minor_units(minor_units);
  return money;
}

}  // namespace

CrashClient::CrashClient(int index, uint64_t seed, ClientShared shared)
    : index_(index), shared_(shared), random_(seed * 1000003 + static_cast<uint64_t>(index)) {
  for (size_t party = 0; party < kPartiesPerClient + kOraclesPerClient; ++party) {
    parties_.push_back(std::make_unique<SigningKey>(PartyKey(index, party)));
  }
}

void CrashClient::Run() {
  if (!Enroll()) return;
  while (!link_closed_ && !shared_.link->stop_requested()) {
    const int64_t choice = Uniform(0, 99);
    if (choice < 18) {
      Credit();
    } else if (choice < 36) {
      LockHold();
    } else if (choice < 46) {
      ResolveHold(/*release=*/true);
    } else if (choice < 52) {
      ResolveHold(/*release=*/false);
    } else if (choice < 76) {
      AdvanceDeposit();
    } else if (choice < 90) {
      AdvanceCover();
    } else {
      BlindRetry();
    }
  }
}

CrashClient::Answer CrashClient::Execute(v1::Command::ActionCase action, const SigningKey& signer,
                                         v1::Command command) {
  command.set_request_id(Concat("client-", index_, "-", ++next_request_));
  ++shared_.counters->attempted;
  return Deliver(action, SignCommand(std::move(command), signer, WallNowMs()), signer, nullptr);
}

CrashClient::Answer CrashClient::Deliver(v1::Command::ActionCase action, v1::SignedCommand request,
                                         const SigningKey& signer, const Acknowledged* previous) {
  std::vector<v1::SignedEnvelope> earlier_signings;
  bool failed_in_doubt = false;
  int64_t generation = 0;
  int attempts = 0;
  for (;;) {
    std::string response;
    grpc::Status status;
    {
      CallPermit permit = shared_.link->Acquire();
      if (!permit.valid()) {
        link_closed_ = true;
        if (previous == nullptr) ++shared_.counters->abandoned;
        return Answer{};
      }
      if (permit.generation() != generation) {
        generation = permit.generation();
        attempts = 0;
      }
      if (++attempts > kMaxAttemptsPerRun) {
        shared_.violations->Add(Concat("engine run ", generation, " gave no answer in ",
                                       kMaxAttemptsPerRun, " attempts to ", Describe(request)));
        ++shared_.counters->abandoned;
        return Answer{};
      }
      status = SendCommand(permit.stub(), action, request, shared_.call_timeout_ms, &response);
    }
    if (status.ok()) {
      if (previous != nullptr) {
        ++shared_.counters->blind_retries;
        if (response != previous->response) {
          shared_.violations->Add(Concat("a re-send of acknowledged ", Describe(request),
                                         " was answered differently from the first time"));
        }
        return Answer{.fate = Fate::kAcknowledged, .response = std::move(response)};
      }
      auto record = std::make_shared<Acknowledged>();
      const v1::Command command = CommandOf(request.envelope());
      record->action = action;
      record->caller_party_id = command.caller_party_id();
      record->request_id = command.request_id();
      record->signed_command = request;
      record->earlier_signings = std::move(earlier_signings);
      record->response = response;
      record->generation = generation;
      shared_.log->Add(record);
      mine_.push_back(std::move(record));
      ++shared_.counters->acknowledged;
      return Answer{.fate = Fate::kAcknowledged, .response = std::move(response)};
    }
    if (IsInDoubt(status)) {
      failed_in_doubt = true;
      ++shared_.counters->retries;
      if (Uniform(0, 1) == 0) {
        earlier_signings.push_back(request.envelope());
        request = SignCommand(CommandOf(request.envelope()), signer, WallNowMs());
        ++shared_.counters->signed_again;
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(200, 5 << std::min(attempts, 6))));
      continue;
    }
    if (previous != nullptr) {
      shared_.violations->Add(Concat("a re-send of acknowledged ", Describe(request),
                                     " was refused: ", ErrorReason(status), " ",
                                     status.error_message()));
    } else if (failed_in_doubt && ErrorReason(status) == "STALE_COMMAND") {
      ++shared_.counters->abandoned;  // never applied, never acknowledged: fine
    } else if (!RefusalAllowed(status)) {
      shared_.violations->Add(Concat(Describe(request), " was refused with ", ErrorReason(status),
                                     ": ", status.error_message()));
    } else {
      ++shared_.counters->refused;
    }
    return Answer{.fate = Fate::kRefused, .response = {}};
  }
}

bool CrashClient::RefusalAllowed(const grpc::Status& status) {
  const std::string reason = ErrorReason(status);
  switch (status.error_code()) {
    // Request ids are never reused and ids derive from them; signers are registered
    // before they sign: these refusals mean the engine lost or repeated something.
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::DATA_LOSS:
      return false;
    default:
      return reason != "INTERNAL" && reason != "STALE_COMMAND" && !reason.empty();
  }
}

bool CrashClient::Enroll() {
  for (size_t party = 0; party < kPartiesPerClient; ++party) {
    v1::Command command;
    command.mutable_register_party()->set_public_key(parties_[party]->public_key());
    command.mutable_register_party()->set_display_name(
        Concat("crash client ", index_, " party ", party));
    Answer answer = Execute(v1::Command::kRegisterParty, *parties_[party], command);
    for (const char* currency : {"EUR", "JPY"}) {
      if (answer.fate != Fate::kAcknowledged) break;
      v1::Command open;
      open.mutable_open_account()->set_currency(currency);
      answer = Execute(v1::Command::kOpenAccount, *parties_[party], open);
    }
    if (answer.fate == Fate::kRefused) {
      shared_.violations->Add(Concat("client ", index_, " could not enroll party ", party));
    }
    if (answer.fate != Fate::kAcknowledged) return false;
  }
  return EnrollOracles();
}

void CrashClient::Credit() {
  const int party = static_cast<int>(Uniform(0, kPartiesPerClient - 1));
  const std::string currency = RandomCurrency();
  const int64_t minor_units = Uniform(10'000, 500'000);
  v1::Command command;
  command.mutable_credit_account()->set_account_id(AccountOf(party, currency));
  *command.mutable_credit_account()->mutable_amount() = MoneyOf(currency, minor_units);
  command.mutable_credit_account()->set_reference(Concat("crash credit ", next_request_ + 1));
  shared_.issued->AddInDoubt(currency, minor_units);
  const Answer answer = Execute(v1::Command::kCreditAccount, *shared_.operator_key, command);
  if (answer.fate == Fate::kAcknowledged) shared_.issued->Acknowledge(currency, minor_units);
  if (answer.fate == Fate::kRefused) shared_.issued->Refuse(currency, minor_units);
}

void CrashClient::LockHold() {
  const int payer = static_cast<int>(Uniform(0, kPartiesPerClient - 1));
  const int beneficiary = (payer + static_cast<int>(Uniform(1, kPartiesPerClient - 1))) %
                          static_cast<int>(kPartiesPerClient);
  const std::string currency = RandomCurrency();
  const int64_t minor_units = Uniform(1, 20'000);
  v1::Command command;
  v1::CreateHold* hold = command.mutable_create_hold();
  hold->set_payer_account_id(AccountOf(payer, currency));
  hold->set_beneficiary_account_id(AccountOf(beneficiary, currency));
  *hold->mutable_amount() = MoneyOf(currency, minor_units);
  // A few seconds of real time: some expire while the engine is down.
  hold->set_expires_at_unix_ms(WallNowMs() + Uniform(1000, 3000));
  const Answer answer = Execute(v1::Command::kCreateHold, *parties_[payer], command);
  v1::Hold locked;
  if (answer.fate != Fate::kAcknowledged || !locked.ParseFromString(answer.response)) return;
  if (holds_.size() >= kMaxOpenHolds) holds_.erase(holds_.begin());
  holds_.push_back(OpenHold{.id = locked.id(),
                            .payer = payer,
                            .beneficiary = beneficiary,
                            .currency = currency,
                            .minor_units = minor_units});
}

void CrashClient::ResolveHold(bool release) {
  if (holds_.empty()) return LockHold();
  const size_t chosen = static_cast<size_t>(Uniform(0, static_cast<int64_t>(holds_.size()) - 1));
  const OpenHold hold = holds_[chosen];
  holds_.erase(holds_.begin() + static_cast<std::ptrdiff_t>(chosen));
  v1::Command command;
  if (release) {
    command.mutable_release_hold()->set_hold_id(hold.id);
    if (Uniform(0, 1) == 0) {
      *command.mutable_release_hold()->mutable_amount() =
          MoneyOf(hold.currency, Uniform(1, hold.minor_units));
    }
    Execute(v1::Command::kReleaseHold, *parties_[hold.payer], command);
  } else {
    command.mutable_void_hold()->set_hold_id(hold.id);
    Execute(v1::Command::kVoidHold, *parties_[hold.beneficiary], command);
  }
}

void CrashClient::AdvanceDeposit() {
  if (deposits_.size() < kMaxOpenDeposits && (deposits_.empty() || Uniform(0, 3) == 0)) {
    return CreateDeposit();
  }
  const size_t chosen = static_cast<size_t>(Uniform(0, static_cast<int64_t>(deposits_.size()) - 1));
  if (!StepDeposit(deposits_[chosen])) {
    deposits_.erase(deposits_.begin() + static_cast<std::ptrdiff_t>(chosen));
  }
}

void CrashClient::CreateDeposit() {
  Deposit deposit;
  std::vector<int> roles = {0, 1, 2};
  std::shuffle(roles.begin(), roles.end(), random_);
  deposit.tenant = roles[0];
  deposit.landlord = roles[1];
  deposit.arbiter = roles[2];
  deposit.currency = RandomCurrency();
  deposit.minor_units = Uniform(1'000, 50'000);
  deposit.plan = static_cast<Plan>(Uniform(0, 4));
  deposit.signatures_wanted =
      deposit.plan == Plan::kNeverFunded ? static_cast<int>(Uniform(0, 3)) : 3;
  v1::ContractTerms terms;
  v1::DepositTerms* deposit_terms = terms.mutable_deposit();
  deposit_terms->set_tenant_party_id(parties_[deposit.tenant]->key_id());
  deposit_terms->set_landlord_party_id(parties_[deposit.landlord]->key_id());
  deposit_terms->set_arbiter_party_id(parties_[deposit.arbiter]->key_id());
  *deposit_terms->mutable_amount() = MoneyOf(deposit.currency, deposit.minor_units);
  // Deadlines of a few seconds of real time: some pass while the engine is down.
  const int64_t fund_by = WallNowMs() + Uniform(2000, 5000);
  deposit_terms->set_fund_by_unix_ms(fund_by);
  deposit_terms->set_return_by_unix_ms(fund_by + Uniform(1000, 4000));
  deposit_terms->set_contest_window_ms(Uniform(1000, 3000));
  deposit_terms->set_description(Concat("crash client ", index_, " lease ", next_request_ + 1));
  v1::Command command;
  command.mutable_create_contract()->set_terms(terms.SerializeAsString());
  const Answer answer = Execute(v1::Command::kCreateContract, *parties_[deposit.landlord], command);
  v1::Contract contract;
  if (answer.fate != Fate::kAcknowledged || !contract.ParseFromString(answer.response)) return;
  deposit.id = contract.id();
  deposit.terms_hash = contract.terms_hash();
  deposits_.push_back(std::move(deposit));
}

bool CrashClient::StepDeposit(Deposit& deposit) {
  v1::Command command;
  v1::Command::ActionCase action = v1::Command::ACTION_NOT_SET;
  int actor = 0;
  const int other = deposit.proposer == deposit.tenant ? deposit.landlord : deposit.tenant;
  const int64_t to_landlord = Uniform(0, deposit.minor_units);
  const auto split = [&](google::protobuf::RepeatedPtrField<v1::Payout>* payouts) {
    for (const auto& [party, amount] :
         {std::pair{deposit.landlord, to_landlord},
          std::pair{deposit.tenant, deposit.minor_units - to_landlord}}) {
      v1::Payout* payout = payouts->Add();
      payout->set_party_id(parties_[party]->key_id());
      *payout->mutable_amount() = MoneyOf(deposit.currency, amount);
    }
  };
  if (deposit.step < 3) {  // the tenant, the landlord, then the arbiter sign
    if (deposit.step >= deposit.signatures_wanted) return false;  // left to the fund-by deadline
    actor = deposit.step == 0   ? deposit.tenant
            : deposit.step == 1 ? deposit.landlord
                                : deposit.arbiter;
    action = v1::Command::kSignContract;
    command.mutable_sign_contract()->set_contract_id(deposit.id);
    command.mutable_sign_contract()->set_signature(
        SignContractTerms(deposit.terms_hash, *parties_[actor]));
  } else if (deposit.step == 3) {
    if (deposit.plan == Plan::kNeverFunded) return false;
    actor = deposit.tenant;
    action = v1::Command::kFundContract;
    command.mutable_fund_contract()->set_contract_id(deposit.id);
  } else if (deposit.step == 4) {
    if (deposit.plan == Plan::kLeftToReturnDeadline) return false;
    deposit.proposer = Uniform(0, 1) == 0 ? deposit.landlord : deposit.tenant;
    actor = deposit.proposer;
    action = v1::Command::kProposeSplit;
    command.mutable_propose_split()->set_contract_id(deposit.id);
    split(command.mutable_propose_split()->mutable_payouts());
  } else if (deposit.step == 5) {
    if (deposit.plan == Plan::kLeftToContestWindow) return false;
    actor = other;
    if (deposit.plan == Plan::kAgreed) {
      action = v1::Command::kAcceptSplit;
      command.mutable_accept_split()->set_contract_id(deposit.id);
      command.mutable_accept_split()->set_proposal_number(deposit.proposal_number);
    } else {
      action = v1::Command::kDisputeContract;
      command.mutable_dispute_contract()->set_contract_id(deposit.id);
      command.mutable_dispute_contract()->set_reason("the oven was left filthy");
    }
  } else if (deposit.step == 6 && deposit.plan == Plan::kArbitrated) {
    actor = deposit.arbiter;
    action = v1::Command::kDecideContract;
    command.mutable_decide_contract()->set_contract_id(deposit.id);
    split(command.mutable_decide_contract()->mutable_payouts());
  } else {
    return false;
  }
  const Answer answer = Execute(action, *parties_[actor], command);
  v1::Contract contract;
  if (answer.fate != Fate::kAcknowledged || !contract.ParseFromString(answer.response)) {
    return false;
  }
  deposit.proposal_number = contract.proposal().number();
  // Acknowledged as settled (an agreement, a decision): its receipt must stay the same.
  if (contract.has_receipt() &&
      !shared_.settled->Record(contract.id(), contract.receipt().SerializeAsString())) {
    shared_.violations->Add(Concat("contract ", contract.id(), " ended with two receipts"));
  }
  ++deposit.step;
  return true;
}

void CrashClient::BlindRetry() {
  if (mine_.empty()) return Credit();
  const std::shared_ptr<const Acknowledged> previous =
      mine_[static_cast<size_t>(Uniform(0, static_cast<int64_t>(mine_.size()) - 1))];
  const SigningKey& signer = KeyOf(previous->caller_party_id);
  if (Uniform(0, 1) == 0) {
    Deliver(previous->action, previous->signed_command, signer, previous.get());
  } else {  // the same command signed again now: still the same request
    ++shared_.counters->signed_again;
    Deliver(previous->action,
            SignCommand(CommandOf(previous->signed_command.envelope()), signer, WallNowMs()),
            signer, previous.get());
  }
}

const SigningKey& CrashClient::KeyOf(const std::string& party_id) const {
  for (const std::unique_ptr<SigningKey>& party : parties_) {
    if (party->key_id() == party_id) return *party;
  }
  return *shared_.operator_key;
}

std::string CrashClient::AccountOf(int party, const std::string& currency) const {
  return Concat(parties_[static_cast<size_t>(party)]->key_id(), ":", currency);
}

std::string CrashClient::RandomCurrency() { return Uniform(0, 1) == 0 ? "EUR" : "JPY"; }

int64_t CrashClient::Uniform(int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(random_);
}

std::string CrashClient::Describe(const v1::SignedCommand& request) const {
  const v1::Command command = CommandOf(request.envelope());
  return Concat(MethodOf(command.action_case()), " ", command.request_id(), " by ",
                command.caller_party_id());
}

}  // namespace argentpoche::crash
