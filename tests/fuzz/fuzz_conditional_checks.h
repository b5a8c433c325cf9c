// What must hold of a stored conditional contract (conditional, option or weather cover
// terms) whatever the fuzzer did, for the engine targets: its terms hash; its signatures
// by its parties only, complete once signed; every funded leg locked by a hold of its own
// of exactly the leg's amount, pending until the contract ends and resolved after; every
// leg funded once funded; a receipt exactly when it ended, paying out exactly the lock
// (an expiry: exactly what was locked), to its parties only, never a negative amount; a
// settled branch only for a settlement by condition. Aborts (Check) on a violation.
#ifndef ARGENTPOCHE_TESTS_FUZZ_FUZZ_CONDITIONAL_CHECKS_H_
#define ARGENTPOCHE_TESTS_FUZZ_FUZZ_CONDITIONAL_CHECKS_H_

#include <string_view>

#include "argentpoche/v1/contract.pb.h"
#include "engine/store.h"

namespace argentpoche::fuzz {

// With `receipt_public_key` empty, signatures and the receipt's are not verified.
void CheckConditionalContract(const Store& store, const v1::Contract& contract,
                              std::string_view receipt_public_key);

}  // namespace argentpoche::fuzz

#endif  // ARGENTPOCHE_TESTS_FUZZ_FUZZ_CONDITIONAL_CHECKS_H_
