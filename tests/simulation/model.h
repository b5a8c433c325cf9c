// The simulator's model of what the engine must hold: parties, party accounts and
// their balances, the money issued per currency, holds, contracts, the requests
// acknowledged and the number of journal records. It changes only through what the
// engine acknowledged and the deadlines the model knows are due, and the simulator
// compares it with the engine after every step.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_MODEL_H_
#define ARGENTPOCHE_TESTS_SIMULATION_MODEL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/ledger.pb.h"
#include "engine/crypto.h"
#include "tests/simulation/oracle_model.h"
#include "tests/simulation/share.h"

namespace argentpoche::simulation {

// A party of the simulation. The key is owned by the EngineHarness.
struct ModelParty {
  std::string id;
  std::string display_name;
  const SigningKey* key = nullptr;
  bool registered = false;
};

// A party account ("<party>:<currency>").
struct ModelAccount {
  std::string owner_party_id;
  std::string currency;
  int64_t balance = 0;
};

struct ModelHold {
  std::string id;
  std::string payer_account_id;
  // Empty for a contract's hold.
  std::string beneficiary_account_id;
  std::string currency;
  int64_t amount = 0;
  // 0 for a contract's hold.
  int64_t expires_at_unix_ms = 0;
  std::string contract_id;
  v1::HoldState state = v1::HOLD_STATE_PENDING;
  // Non-zero payouts to accounts, in order (the rest went back to the payer).
  std::vector<Share> payouts;
  int64_t created_at_unix_ms = 0;
  int64_t resolved_at_unix_ms = 0;
  // The state the checker last saw in the engine, to check each transition.
  v1::HoldState observed_state = v1::HOLD_STATE_UNSPECIFIED;
  // The engine's record once resolved: it must never change again.
  std::string frozen_record;
};

struct ModelContract {
  std::string id;
  std::string terms;  // the exact serialized ContractTerms
  std::string terms_hash;
  std::string tenant;
  std::string landlord;
  std::string arbiter;
  std::string currency;
  int64_t amount = 0;
  int64_t fund_by_unix_ms = 0;
  int64_t return_by_unix_ms = 0;
  int64_t contest_window_ms = 0;
  v1::ContractState state = v1::CONTRACT_STATE_PROPOSED;
  // Party ids in the order they signed.
  std::vector<std::string> signers;
  // The tenant's funding hold, once funded.
  std::string hold_id;
  uint32_t proposal_number = 0;
  std::string proposer;
  std::vector<Share> proposal;  // to parties
  int64_t contest_by_unix_ms = 0;
  std::string disputed_by;
  // Set when it reaches SETTLED, REFUNDED or EXPIRED: what the receipt must say.
  v1::SettlementOutcome outcome = v1::SETTLEMENT_OUTCOME_UNSPECIFIED;
  std::vector<Share> settled_payouts;  // to parties, zeros included, as requested
  v1::ContractState observed_state = v1::CONTRACT_STATE_UNSPECIFIED;
  std::string frozen_record;
};

// A command the engine acknowledged: a retry must get `result` back.
struct AcknowledgedRequest {
  // The command without its signing time (the engine's idempotency fingerprint).
  std::string fingerprint;
  // The serialized CommandResult of the first answer.
  std::string result;
};

struct Model {
  std::string operator_id;
  std::string receipt_public_key;
  std::vector<std::string> currencies;
  // By party id; the operator is not among them.
  std::map<std::string, ModelParty> parties;
  // Party accounts by account id.
  std::map<std::string, ModelAccount> accounts;
  // Per currency: credited minus debited (the float carries the negative).
  std::map<std::string, int64_t> issued;
  std::map<std::string, ModelHold> holds;
  std::map<std::string, ModelContract> contracts;
  // Oracles, events, attestations and conditional contracts (conditional_domain.cc).
  OracleWorld oracle;
  // By keys::Request(caller, request_id).
  std::map<std::string, AcknowledgedRequest> requests;
  // Records the journal must hold.
  uint64_t journal_records = 0;
  // Test hook: a deliberately broken model that counts every credit twice.
  bool count_credits_twice = false;
};

// True when `party_id` is a registered holder or the operator.
bool IsRegistered(const Model& model, const std::string& party_id);
// The account, or nullptr when the model knows no such party account.
const ModelAccount* FindAccount(const Model& model, const std::string& account_id);

// A hold's resolution: pays `payouts` (non-zero, to accounts) out of it, the rest back
// to the payer, and marks it `final_state` at `now`.
void ResolveHold(Model& model, ModelHold& hold, std::vector<Share> payouts,
                 v1::HoldState final_state, int64_t now);

// A contract's settlement: pays `payouts` (to parties) out of its hold, if funded,
// then records the outcome and the final state.
void SettleContract(Model& model, ModelContract& contract, std::vector<Share> payouts,
                    v1::SettlementOutcome outcome, v1::ContractState final_state, int64_t now);

// Hold and contract states that never change again.
bool IsFinal(v1::HoldState state);
bool IsFinal(v1::ContractState state);
// Whether a step may take a hold or a contract from `before` to `after`.
bool IsLegalTransition(v1::HoldState before, v1::HoldState after);
bool IsLegalTransition(v1::ContractState before, v1::ContractState after);

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_MODEL_H_
