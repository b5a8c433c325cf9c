#include "engine/engine.h"

#include <cstdlib>

#include "absl/numeric/int128.h"
#include "engine/check.h"
#include "engine/command_apply.h"
#include "engine/contracts.h"
#include "engine/event_log.h"
#include "engine/holds.h"
#include "engine/journal.h"
#include "engine/keys.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

std::string DigestOf(const v1::CommandResult& result) {
  std::string bytes;
  POCHE_CHECK(result.SerializeToString(&bytes));
  return Sha256(bytes);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(Store* store, const Clock* clock,
                                                     SigningKey receipt_key,
                                                     EngineOptions options) {
  POCHE_CHECK(store != nullptr && clock != nullptr);
  POCHE_CHECK(options.max_batch_commands >= 1 &&
              options.max_batch_commands <= limits::kMaxBatchCommands);
  POCHE_RETURN_IF_ERROR(ValidateRateLimitOptions(options.rate_limit));
  std::unique_ptr<Engine> engine(
      new Engine(store, clock, std::move(receipt_key), std::move(options)));
  POCHE_RETURN_IF_ERROR(engine->EnrollOperators());
  engine->responder_ = std::thread([raw = engine.get()] { raw->ResponderLoop(); });
  engine->writer_ = std::thread([raw = engine.get()] { raw->WriterLoop(); });
  if (engine->options_.scheduler_poll_ms > 0) {
    engine->scheduler_ = std::thread([raw = engine.get()] { raw->SchedulerLoop(); });
  }
  return engine;
}

Engine::Engine(Store* store, const Clock* clock, SigningKey receipt_key, EngineOptions options)
    : store_(store),
      clock_(clock),
      receipt_key_(std::move(receipt_key)),
      options_(std::move(options)),
      verifier_(store),
      rate_limiter_(clock, options_.rate_limit) {}

Engine::~Engine() {
  {
    MutexLock lock(&mutex_);
    scheduler_stopping_ = true;
    scheduler_wakeup_.SignalAll();
  }
  if (scheduler_.joinable()) scheduler_.join();
  {
    MutexLock lock(&mutex_);
    stopping_ = true;
    writer_wakeup_.SignalAll();
  }
  if (writer_.joinable()) writer_.join();
  {
    MutexLock lock(&replies_mutex_);
    responder_stopping_ = true;
    responder_wakeup_.SignalAll();
  }
  if (responder_.joinable()) responder_.join();
}

void Engine::ResponderLoop() {
  for (;;) {
    std::deque<std::function<void()>> ready;
    {
      MutexLock lock(&replies_mutex_);
      responder_wakeup_.Await(&replies_mutex_,
                              [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(replies_mutex_) {
                                return responder_stopping_ || !replies_.empty();
                              });
      if (replies_.empty()) return;  // stopping, and every answer was sent
      ready.swap(replies_);
    }
    for (std::function<void()>& reply : ready) reply();
  }
}

absl::Status Engine::EnrollOperators() {
  // Runs before the writer starts: this thread is the only writer.
  Transaction transaction(store_);
  const int64_t now = clock_->NowUnixMs();
  for (const std::string& public_key : options_.operator_public_keys) {
    POCHE_CHECK(public_key.size() == kPublicKeyBytes);
    const std::string id = KeyIdOf(public_key);
    POCHE_ASSIGN_OR_RETURN(std::optional<v1::Party> existing,
                           transaction.GetMessage<v1::Party>(Table::kParties, id));
    if (existing && existing->role() == v1::PARTY_ROLE_OPERATOR) continue;
    v1::Party party = existing.value_or(v1::Party());
    party.set_id(id);
    party.set_public_key(public_key);
    if (party.display_name().empty()) party.set_display_name("operator");
    party.set_role(v1::PARTY_ROLE_OPERATOR);
    if (!existing) party.set_created_at_unix_ms(now);
    transaction.PutMessage(Table::kParties, id, party);
    v1::JournalEntry entry;
    POCHE_ASSIGN_OR_RETURN(uint64_t sequence, NextJournalSequence(transaction));
    entry.set_sequence(sequence);
    entry.set_applied_at_unix_ms(now);
    entry.set_enrolled_operator_public_key(public_key);
    POCHE_RETURN_IF_ERROR(AppendJournal(&transaction, std::move(entry)).status());
  }
  WriteBatch batch = transaction.TakeBatch();
  if (batch.empty()) return absl::OkStatus();
  return store_->Write(batch, WriteMode::kSync);
}

void Engine::Enqueue(Pending pending) {
  bool queued = false;
  {
    MutexLock lock(&mutex_);
    if (!stopping_ && queue_.size() < limits::kMaxQueuedCommands) {
      queue_.push_back(std::move(pending));
      queued = true;
    }
  }
  if (queued) {
    // Outside the lock: the writer wakes to a free mutex. The engine outlives callers.
    writer_wakeup_.Signal();
    return;
  }
  pending.done(Error(absl::StatusCode::kUnavailable, "ENGINE_BUSY",
                     "the engine is stopping or has too many commands waiting: retry shortly "
                     "with the same request_id"));
}

absl::StatusOr<size_t> Engine::FireDueDeadlines() {
  POCHE_ASSIGN_OR_RETURN(std::vector<v1::DeadlineEvent> due,
                         DueDeadlines(*store_, clock_->NowUnixMs(), limits::kMaxDeadlinesPerPass));
  if (due.empty()) return 0;
  Mutex done_mutex;
  CondVar all_done;
  size_t remaining = due.size();
  absl::Status first_error;
  for (v1::DeadlineEvent& event : due) {
    Pending pending;
    pending.deadline = std::move(event);
    pending.done = [&](absl::StatusOr<v1::CommandResult> result) {
      MutexLock lock(&done_mutex);
      if (!result.ok() && first_error.ok()) first_error = result.status();
      if (--remaining == 0) all_done.Signal();
    };
    Enqueue(std::move(pending));
  }
  MutexLock lock(&done_mutex);
  all_done.Await(&done_mutex, [&remaining] { return remaining == 0; });
  POCHE_RETURN_IF_ERROR(first_error);
  return due.size();
}

void Engine::SchedulerLoop() {
  for (;;) {
    absl::StatusOr<size_t> fired = FireDueDeadlines();
    if (!fired.ok()) {
      LogEvent(kEngineComponent, "deadlines_not_fired",
               {{"code", absl::StatusCodeToString(fired.status().code())},
                {"reason", ReasonOf(fired.status())},
                {"message", std::string(fired.status().message())}});
    }
    MutexLock lock(&mutex_);
    if (scheduler_wakeup_.AwaitWithTimeout(
            &mutex_, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return scheduler_stopping_; },
            std::chrono::milliseconds(options_.scheduler_poll_ms))) {
      return;
    }
  }
}

void Engine::WriterLoop() {
  for (;;) {
    std::vector<Pending> batch;
    {
      MutexLock lock(&mutex_);
      writer_wakeup_.Await(&mutex_, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return stopping_ || (!queue_.empty() && !writer_held_);
      });
      if (queue_.empty()) return;  // stopping, and everything queued was applied
      while (!queue_.empty() && batch.size() < options_.max_batch_commands) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    ApplyBatch(batch);
  }
}

uint64_t Engine::batches_committed() const {
  MutexLock lock(&mutex_);
  return batches_committed_;
}

void Engine::ApplyBatch(std::vector<Pending>& batch) {
  POCHE_CHECK(!batch.empty());
  // Engine time never goes backwards, even if the clock does.
  last_now_unix_ms_ = std::max(last_now_unix_ms_, clock_->NowUnixMs());
  Transaction transaction(store_, &read_cache_);
  std::vector<absl::StatusOr<v1::CommandResult>> results;
  results.reserve(batch.size());
  for (const Pending& pending : batch) {
    // The caller stopped waiting and cannot learn the outcome, so it is not applied:
    // the caller's retry with the same request_id applies it, once.
    if (pending.answer_by_unix_ms != 0 && last_now_unix_ms_ > pending.answer_by_unix_ms) {
      results.push_back(Error(absl::StatusCode::kDeadlineExceeded, "CALL_DEADLINE_EXCEEDED",
                              "the call's deadline passed before the engine reached the "
                              "command; nothing was applied: retry with the same request_id"));
      continue;
    }
    results.push_back(ApplyOne(transaction, last_now_unix_ms_, pending));
  }
  WriteBatch writes = transaction.TakeBatch();
  absl::Status committed =
      writes.empty() ? absl::OkStatus() : store_->Write(writes, options_.write_mode);
  if (!committed.ok()) {
    LogEvent(kEngineComponent, "commit_failed",
             {{"commands", std::to_string(batch.size())},
              {"code", absl::StatusCodeToString(committed.code())},
              {"message", std::string(committed.message())}});
    // A write can fail after it reached the store (a failed sync), so what the writer
    // read before may no longer be what is stored: forget it, and say only what we know.
    read_cache_.Clear();
    committed = Error(
        absl::StatusCode::kUnavailable, "COMMIT_FAILED",
        Concat("the engine could not confirm that the change was stored (", committed.message(),
               "): retry with the same request_id, which applies it once or "
               "returns its first answer"));
  } else if (!writes.empty()) {
    read_cache_.Apply(writes);
    MutexLock lock(&mutex_);
    ++batches_committed_;
  }
  // Answered by the responder thread, so the writer goes on to the next batch at once.
  {
    MutexLock lock(&replies_mutex_);
    for (size_t i = 0; i < batch.size(); ++i) {
      replies_.push_back([done = std::move(batch[i].done),
                          result = committed.ok() ? std::move(results[i])
                                                  : absl::StatusOr<v1::CommandResult>(
                                                        committed)]() { done(std::move(result)); });
    }
  }
  responder_wakeup_.Signal();
}

absl::StatusOr<v1::CommandResult> Engine::ApplyOne(Transaction& transaction, int64_t now_unix_ms,
                                                   const Pending& pending) {
  transaction.Begin();
  ApplyContext ctx;
  ctx.transaction = &transaction;
  ctx.receipt_key = &receipt_key_;
  ctx.now_unix_ms = now_unix_ms;
  absl::StatusOr<uint64_t> sequence = NextJournalSequence(transaction);
  if (!sequence.ok()) {
    transaction.Rollback();
    return sequence.status();
  }
  ctx.journal_sequence = *sequence;
  absl::StatusOr<v1::CommandResult> result = v1::CommandResult();
  if (pending.command != nullptr) {
    result = ApplyCommand(ctx, *pending.command);
  } else {
    absl::Status fired = ApplyDeadline(ctx, pending.deadline);
    if (!fired.ok()) result = fired;
  }
  if (result.ok()) {
    transaction.Commit();
  } else {
    transaction.Rollback();
  }
  return result;
}

absl::StatusOr<v1::CommandResult> Engine::ApplyCommand(ApplyContext& ctx,
                                                       const VerifiedCommand& verified) {
  const v1::Command& command = verified.command;
  const std::string request_key = keys::Request(command.caller_party_id(), command.request_id());
  POCHE_ASSIGN_OR_RETURN(
      std::optional<v1::IdempotencyRecord> previous,
      ctx.transaction->GetMessage<v1::IdempotencyRecord>(Table::kRequests, request_key));
  if (previous) {
    if (previous->command_digest() != verified.digest) {
      return AlreadyExists("REQUEST_ID_REUSED",
                           Concat("request_id \"", command.request_id(),
                                  "\" was already used for a different command: choose a "
                                  "new request_id for a new command"));
    }
    // A retry or a replay: the first answer, and nothing moves again.
    return previous->result();
  }
  // issued_at is whatever the caller signed, any int64: the distance in 128 bits.
  const absl::int128 skew = absl::int128(command.issued_at_unix_ms()) - ctx.now_unix_ms;
  if (skew > options_.max_command_skew_ms || skew < -options_.max_command_skew_ms) {
    return FailedPrecondition(
        "STALE_COMMAND",
        Concat("the command was signed at ", FormatTime(command.issued_at_unix_ms()),
               " but the engine time is ", FormatTime(ctx.now_unix_ms),
               ": sign it again with the current time"));
  }
  POCHE_ASSIGN_OR_RETURN(v1::CommandResult result, ApplyAction(ctx, verified));

  v1::IdempotencyRecord record;
  record.set_command_digest(verified.digest);
  *record.mutable_result() = result;
  record.set_journal_sequence(ctx.journal_sequence);
  ctx.transaction->PutMessage(Table::kRequests, request_key, record);

  v1::JournalEntry entry;
  entry.set_sequence(ctx.journal_sequence);
  entry.set_applied_at_unix_ms(ctx.now_unix_ms);
  *entry.mutable_command() = verified.envelope;
  for (const v1::Transfer& transfer : ctx.transfers) *entry.add_transfers() = transfer;
  entry.set_result_digest(DigestOf(result));
  POCHE_RETURN_IF_ERROR(AppendJournal(ctx.transaction, std::move(entry)).status());
  return result;
}

absl::Status Engine::ApplyDeadline(ApplyContext& ctx, const v1::DeadlineEvent& event) {
  POCHE_ASSIGN_OR_RETURN(bool scheduled, IsDeadlineScheduled(*ctx.transaction, event));
  if (!scheduled) return absl::OkStatus();  // fired or cancelled meanwhile
  CancelDeadline(ctx.transaction, event.due_at_unix_ms(), event.kind(), event.subject_id());
  if (event.kind() == deadline::kHoldExpiry) {
    POCHE_RETURN_IF_ERROR(ApplyHoldExpiry(ctx, event));
  } else {
    POCHE_RETURN_IF_ERROR(ApplyContractDeadline(ctx, event));
  }
  v1::JournalEntry entry;
  entry.set_sequence(ctx.journal_sequence);
  entry.set_applied_at_unix_ms(ctx.now_unix_ms);
  *entry.mutable_deadline() = event;
  for (const v1::Transfer& transfer : ctx.transfers) *entry.add_transfers() = transfer;
  return AppendJournal(ctx.transaction, std::move(entry)).status();
}

}  // namespace argentpoche
