// The conditional domain's rules, shared by its files: what the engine must answer to each
// oracle and conditional-contract command (conditional_predict.cc, checks in the engine's
// order), what an acknowledged one changes and how its answer is checked
// (conditional_apply.cc), how the engine's oracles and contracts are compared with the
// model (conditional_compare.cc), and the random operations (oracle_operations.cc,
// conditional_operations.cc). Not thread-safe (the simulation's).
#ifndef ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_RULES_H_
#define ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "argentpoche/v1/contract.pb.h"
#include "argentpoche/v1/oracle.pb.h"
#include "engine/engine.h"
#include "tests/simulation/domain.h"
#include "tests/simulation/model.h"

namespace argentpoche::simulation {

// Every oracle may attest these.
inline constexpr char kWeatherFeeds[] = "weather/sim/*";
inline constexpr char kPriceFeeds[] = "price/*";

// The terms of a CreateContract if they parse and are conditional, an option or a
// weather cover: their template name and what the engine evaluates (or a compile error).
struct ConditionalCreation {
  bool conditional = false;
  std::string template_name;
  absl::StatusOr<v1::ConditionalTerms> compiled = v1::ConditionalTerms();
};
ConditionalCreation ParseCreation(const v1::Command& command);

// Whether `oracle` was registered for `feed` (an exact name, or a prefix ending in '*').
bool OracleMayAttest(const ModelOracle& oracle, const std::string& feed);
// PERMISSION_DENIED ORACLE_REVOKED or ORACLE_FLAGGED, or applied.
Expectation OracleStanding(const ModelOracle& oracle);

// The n-th attestation key of oracle `party_id` (n = 0 at registration, then one per
// rotation): a TEST key from a fixed seed.
std::shared_ptr<const SigningKey> AttestationKey(const std::string& party_id, size_t n);
// What honest oracles attest for an event (the workload's truth; a weather index at scale 1,
// a price at scale 2), derived from its name.
int64_t EventTruth(const std::string& feed, const std::string& event_id);
uint32_t EventScale(const std::string& feed);

// The contract a contract command names ("" for CreateContract and other actions).
std::string ContractIdOf(const v1::Command& command);

// The preimage the workload reveals to generic terms described `description`.
std::string SecretOf(const std::string& description);

Expectation PredictRegistry(const Model& model, const CommandView& view, int64_t now);
Expectation PredictAttestation(const Model& model, const CommandView& view, int64_t now);
Expectation PredictContract(const Model& model, const CommandView& view, int64_t now);

absl::Status ApplyRegistry(Model& model, const CommandView& view, const v1::CommandResult& result,
                           int64_t now);
absl::Status ApplyAttestation(Model& model, const CommandView& view,
                              const v1::CommandResult& result, int64_t now);
absl::Status ApplyContract(Model& model, const CommandView& view, const v1::CommandResult& result,
                           int64_t now);

absl::Status CompareOracle(const Model& model, const ModelOracle& expected,
                           const v1::Oracle& stored);
absl::Status CompareConditional(const Model& model, const ModelConditional& expected,
                                const v1::Contract& stored);
// Every oracle, and the events, attestations and proofs when `full`, against the engine.
absl::Status CheckOracles(const Model& model, const Engine& engine, bool full);
// Every conditional contract against the engine (the final ones only when `full`), its
// state moved along a legal transition; a settled contract pays out exactly its lock; a
// contract tainted by a flagged oracle never settles by a branch.
absl::Status CheckConditionals(Model& model, const Engine& engine, bool full);

// When a value of `event` is known: the day after a weather period, a price's time (the
// end of an averaging window). The observation time of honest attestations.
int64_t ObservationTime(const EventKey& event);

void AddOracleOperations(std::vector<Operation>& operations);
void AddInvalidAttestations(std::vector<Operation>& operations);
void AddConditionalOperations(std::vector<Operation>& operations);

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_RULES_H_
