// Money paid to someone, as the simulator's model records it. Value type.
#ifndef ARGENTPOCHE_TESTS_SIMULATION_SHARE_H_
#define ARGENTPOCHE_TESTS_SIMULATION_SHARE_H_

#include <cstdint>
#include <string>

namespace argentpoche::simulation {

// Money paid to someone: a party (contract payouts) or an account (hold payouts).
struct Share {
  std::string to;
  int64_t minor_units = 0;
  bool operator==(const Share& other) const = default;
};

}  // namespace argentpoche::simulation

#endif  // ARGENTPOCHE_TESTS_SIMULATION_SHARE_H_
