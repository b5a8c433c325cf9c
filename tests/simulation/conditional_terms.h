// Random conditional terms for the simulator's workload, relative to the simulated clock:
// a weather cover and an option (templates the engine compiles), an escrow released by both
// parties' endorsements or by a revealed secret, and a rain threshold (2 of: the attested
// rainfall at or above a level, the buyer's endorsement, a date). Each is valid when made;
// a retry after the clock moved may find its deadlines passed.
// Not thread-safe (draws from the simulation's random source).
#ifndef ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_TERMS_H_
#define ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_TERMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "argentpoche/v1/contract.pb.h"
#include "tests/simulation/simulation.h"

namespace argentpoche::simulation {

// Who a contract is between: two parties with an account in `currency` (the one who locks
// the principal and the one who pays the premium or buys), maybe an arbiter, and the
// oracles of its value source with their quorum.
struct Cast {
  std::string principal;
  std::string counterpart;
  std::string arbiter;  // "" for none
  std::string currency;
  std::vector<std::string> oracles;
  uint32_t quorum = 0;
  // What each of the two can lock, at most (their balance, or some when it is 0).
  int64_t principal_can_lock = 0;
  int64_t counterpart_can_lock = 0;
};

// A random cast among registered parties and oracles in good standing; false when there
// are not enough of them (`with_oracles`: at least one oracle).
bool PickCast(Simulation& s, bool with_oracles, Cast& cast);

v1::ContractTerms WeatherCover(Simulation& s, const Cast& cast);
v1::ContractTerms Option(Simulation& s, const Cast& cast);
v1::ContractTerms Escrow(Simulation& s, const Cast& cast);
v1::ContractTerms RainThreshold(Simulation& s, const Cast& cast);

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_CONDITIONAL_TERMS_H_
