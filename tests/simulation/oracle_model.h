// The simulator's model of oracles and conditional contracts (the conditional domain,
// conditional_domain.cc): the registered oracles and their keys, the events announced and
// the attestations stored for them, and the conditional contracts (weather covers and
// options compiled from their templates, and small terms written directly) with what they
// have seen. DecideFunded says, independently of the engine's code, what a funded
// contract decides at a moment: the values its quorums fix (lower median within the
// spread, or exact agreement; one value per oracle, observed inside the source's window,
// rescaled half to even), a dispute when they disagree, the refund from the hard deadline
// on, else the first branch that holds, paid by its fixed table or its line rounded down.
// Not thread-safe (the simulation's).
#ifndef ARGENTPOCHE_TESTS_SIMULATION_ORACLE_MODEL_H_
#define ARGENTPOCHE_TESTS_SIMULATION_ORACLE_MODEL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "argentpoche/v1/condition.pb.h"
#include "argentpoche/v1/contract.pb.h"
#include "engine/crypto.h"
#include "tests/simulation/share.h"

namespace argentpoche::simulation {

struct Model;

struct ModelOracleKey {
  std::string public_key;
  std::string key_id;  // KeyIdOf(public_key)
  // The signing key, when the workload holds it (shared by the copies of the model: a
  // preview of the deadlines copies it).
  std::shared_ptr<const SigningKey> key;
  int64_t valid_from_unix_ms = 0;
  int64_t valid_until_unix_ms = 0;
  int64_t revoked_at_unix_ms = 0;
  const std::string& id() const { return key_id; }
  bool ValidAt(int64_t now) const {
    return revoked_at_unix_ms == 0 && valid_from_unix_ms <= now && now < valid_until_unix_ms;
  }
};

struct ModelOracle {
  std::string party_id;
  std::vector<std::string> feeds;
  // Oldest first, as the engine keeps them.
  std::vector<ModelOracleKey> keys;
  bool flagged = false;
  int64_t flagged_at_unix_ms = 0;
  std::vector<std::string> proof_ids;
  int64_t registered_at_unix_ms = 0;
  int64_t revoked_at_unix_ms = 0;
  bool InGoodStanding() const { return revoked_at_unix_ms == 0 && !flagged; }
};

// (feed, event id).
using EventKey = std::pair<std::string, std::string>;

struct ModelEvent {
  int64_t expected_at_unix_ms = 0;
  int64_t observe_from_unix_ms = 0;
  int64_t observe_until_unix_ms = 0;
  std::string announced_by;
  int64_t announced_at_unix_ms = 0;
};

struct ModelAttestation {
  std::string oracle;
  int64_t value = 0;
  uint32_t scale = 0;
  int64_t observed_at_unix_ms = 0;
  // The serialized envelope, as stored.
  std::string envelope;
};

struct ModelFixedValue {
  std::string source;
  int64_t value = 0;
  std::vector<std::string> oracles;
  std::vector<int64_t> values;
  int64_t fixed_at_unix_ms = 0;
};

struct ModelLeg {
  std::string party;
  int64_t amount = 0;
  std::string hold_id;
  int64_t funded_at_unix_ms = 0;
};

struct ModelConditional {
  std::string id;
  std::string template_name;
  std::string terms;  // the exact serialized ContractTerms
  std::string terms_hash;
  std::string created_by;
  int64_t created_at_unix_ms = 0;
  // What the engine evaluates (compiled from the template, or the terms themselves).
  v1::ConditionalTerms compiled;
  std::string currency;
  int64_t locked = 0;
  std::vector<std::pair<std::string, std::string>> parties;  // role, party
  std::vector<ModelLeg> legs;
  v1::ContractState state = v1::CONTRACT_STATE_PROPOSED;
  std::vector<std::string> signers;
  std::vector<std::string> endorsed_roles;
  std::vector<std::string> revealed;
  std::vector<ModelFixedValue> fixed;
  int settled_branch = 0;
  int64_t next_decision_unix_ms = 0;
  int64_t disputed_at_unix_ms = 0;
  // The outcome and payouts (to parties, as the receipt lists them) once final.
  v1::SettlementOutcome outcome = v1::SETTLEMENT_OUTCOME_UNSPECIFIED;
  std::vector<Share> settled_payouts;
  // The preimage the workload may reveal ("" when the terms await none).
  std::string secret;
  // It relied on an oracle when that oracle was flagged and was not final then: it must
  // never settle by a branch from then on.
  bool tainted = false;
  v1::ContractState observed_state = v1::CONTRACT_STATE_UNSPECIFIED;
  std::string frozen_record;

  std::string RoleOf(const std::string& party) const;
  std::string PartyOf(const std::string& role) const;
  bool NamesOracle(const std::string& oracle) const;
  bool WaitsOn(const EventKey& event) const;
  // Still indexed under its events and oracles (not yet settled, refunded, disputed or
  // expired).
  bool Waiting() const {
    return state == v1::CONTRACT_STATE_PROPOSED || state == v1::CONTRACT_STATE_SIGNED ||
           state == v1::CONTRACT_STATE_FUNDED;
  }
};

struct OracleWorld {
  std::map<std::string, ModelOracle> oracles;
  std::map<EventKey, ModelEvent> events;
  // Every attestation stored, per event, in the order stored.
  std::map<EventKey, std::vector<ModelAttestation>> attestations;
  std::map<std::string, ModelConditional> contracts;
  uint64_t proofs = 0;
};

// `value` at `from_scale` expressed at `to_scale`: exact when growing, half to even when
// shrinking; nullopt beyond +/-10^18.
std::optional<int64_t> RescaleValue(int64_t value, uint32_t from_scale, uint32_t to_scale);
// value / 10^scale == other_value / 10^other_scale.
bool SameValue(int64_t value, uint32_t scale, int64_t other_value, uint32_t other_scale);

enum class Decision { kWaiting, kSettled, kRefunded, kDisputed };

// Decides a FUNDED contract at `now`, in place (values fixed, settled, refunded,
// disputed, or its next moment of decision set), as the engine must.
Decision DecideFunded(Model& model, ModelConditional& contract, int64_t now);
// Sends a FUNDED contract to dispute: only the arbiter or the refund at the hard deadline
// end it.
void DisputeFunded(ModelConditional& contract, int64_t now);
// Pays `payouts` (to parties, in order, zeros allowed) out of the funded legs' holds in
// leg order, and ends the contract in `state` with `outcome`.
void SettleConditional(Model& model, ModelConditional& contract, std::vector<Share> payouts,
                       v1::SettlementOutcome outcome, v1::ContractState state, int64_t now);
// Fires every deadline of conditional contracts due at `now` (fund-by expiries, moments of
// decision, refunds of disputes at the hard deadline); returns how many fired.
uint64_t FireConditionalDeadlines(Model& model, int64_t now);

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_ORACLE_MODEL_H_
