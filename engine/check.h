// POCHE_CHECK: an always-on assertion for programmer errors. It logs the condition and
// where it failed, then aborts. Operating errors (bad input, I/O) are absl::Status,
// never a check.
#ifndef ARGENTPOCHE_ENGINE_CHECK_H_
#define ARGENTPOCHE_ENGINE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define POCHE_CHECK(condition)                                                           \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

#endif  // ARGENTPOCHE_ENGINE_CHECK_H_
