// ApplyContext: what applying one command or deadline sees: the writer's transaction,
// the engine time of the batch, the journal sequence the change will be recorded
// under, and the transfers it makes. Built by the engine's writer for each command;
// borrowed by the ledger, hold and contract code. Not thread-safe.
#ifndef ARGENTPOCHE_ENGINE_APPLY_CONTEXT_H_
#define ARGENTPOCHE_ENGINE_APPLY_CONTEXT_H_

#include <cstdint>
#include <vector>

#include "argentpoche/v1/ledger.pb.h"
#include "engine/crypto.h"
#include "engine/transaction.h"

namespace argentpoche {

struct ApplyContext {
  // Borrowed; outlive the context.
  Transaction* transaction = nullptr;
  const SigningKey* receipt_key = nullptr;
  int64_t now_unix_ms = 0;
  uint64_t journal_sequence = 0;
  // Every transfer made while applying, in order (copied into the journal entry).
  std::vector<v1::Transfer> transfers;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_APPLY_CONTEXT_H_
