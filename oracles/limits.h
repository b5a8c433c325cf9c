// Limits of the oracle daemon and its data adapters: every input that can grow has a named
// bound here, checked where the input is read (a refusal, never a crash).
#ifndef ARGENTPOCHE_ORACLES_LIMITS_H_
#define ARGENTPOCHE_ORACLES_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace argentpoche::oracles::limits {

// A data file larger than this is refused (FAILED_PRECONDITION "DATA_FILE_TOO_LARGE").
inline constexpr size_t kMaxDataFileBytes = 64 << 20;
// One CSV line, and the number of columns of a CSV.
inline constexpr size_t kMaxCsvLineBytes = 4096;
inline constexpr size_t kMaxCsvColumns = 256;
// Decimal places of a decimal number and of an attested value (Attestation.scale).
inline constexpr uint32_t kMaxScale = 18;
// Characters of one decimal number ("-123.45"), sign and point included.
inline constexpr size_t kMaxDecimalLength = 40;
// Days of one weather period (both ends included): ten years.
inline constexpr int64_t kMaxPeriodDays = 3660;
// Events one daemon serves.
inline constexpr size_t kMaxEvents = 1000;

}  // namespace argentpoche::oracles::limits

#endif  // ARGENTPOCHE_ORACLES_LIMITS_H_
