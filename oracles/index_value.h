// The value of an index as the oracle computes it: the exact rational result, and that
// result rounded once, half to even, to the scale it is attested at.
#ifndef ARGENTPOCHE_ORACLES_INDEX_VALUE_H_
#define ARGENTPOCHE_ORACLES_INDEX_VALUE_H_

#include "oracles/rational.h"

namespace argentpoche::oracles {

struct IndexValue {
  Rational exact;
  // exact rounded to the scale asked for; rounded.rounded says whether digits were lost.
  RoundedValue rounded;
};

}  // namespace argentpoche::oracles

#endif  // ARGENTPOCHE_ORACLES_INDEX_VALUE_H_
