// Synchronisation for the engine core: Mutex, MutexLock, CondVar and Notification, on
// std::mutex and std::condition_variable (so on pthreads), with Abseil's thread-safety
// annotations (ABSL_GUARDED_BY and friends keep working on them).
//
//   Mutex mutex_;
//   CondVar queue_changed_;
//   std::deque<Item> queue_ ABSL_GUARDED_BY(mutex_);
//   ...
//   MutexLock lock(&mutex_);
//   queue_changed_.Await(&mutex_, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
//     return !queue_.empty();
//   });
//
// Why not absl::Mutex: Debian's Abseil is a shared library built without
// ThreadSanitizer, and absl::Mutex synchronises with atomics and futexes inside it that
// TSan cannot see, so a TSan build reports false races on everything it guards.
// ThreadSanitizer intercepts pthread calls, also those made from the uninstrumented
// libstdc++, so our locking is visible to it (docs/architecture.md, "Reliability").
//
// Unlike absl::Mutex::Await, a CondVar is not re-checked on every unlock: whoever
// changes what a waiter awaits must call Signal or SignalAll, after the change, while
// holding the mutex or just after releasing it.
//
// Thread-safety: every member function may be called from any thread.
#ifndef ARGENTPOCHE_ENGINE_SYNC_H_
#define ARGENTPOCHE_ENGINE_SYNC_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"

namespace argentpoche {

// An exclusive, non-recursive lock.
class ABSL_LOCKABLE Mutex {
 public:
  constexpr Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mutex_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() { mutex_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mutex_;
};

// Holds `mutex` from construction to destruction. `mutex` must outlive the lock.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mutex) ABSL_EXCLUSIVE_LOCK_FUNCTION(mutex) : mutex_(mutex) {
    mutex_->Lock();
  }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mutex_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mutex_;
};

// Waiting for a condition on state guarded by a Mutex.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Returns once `ready()` is true; `ready` is called with `mutex` held, which is
  // released while waiting and held again on return.
  template <typename Predicate>
  void Await(Mutex* mutex, Predicate ready) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    condition_.wait(lock, ready);
    lock.release();  // the caller's MutexLock still owns the mutex
  }

  // Like Await, but gives up after `timeout`; returns `ready()` as last evaluated.
  template <typename Predicate>
  bool AwaitWithTimeout(Mutex* mutex, Predicate ready, std::chrono::milliseconds timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex) {
    std::unique_lock<std::mutex> lock(mutex->mutex_, std::adopt_lock);
    const bool became_ready = condition_.wait_for(lock, timeout, ready);
    lock.release();
    return became_ready;
  }

  // Wakes one waiter (Signal) or all of them (SignalAll) to evaluate their condition.
  void Signal() { condition_.notify_one(); }
  void SignalAll() { condition_.notify_all(); }

 private:
  std::condition_variable condition_;
};

// A one-shot event: Notify once, and every Wait, before or after, returns.
class Notification {
 public:
  Notification() = default;
  Notification(const Notification&) = delete;
  Notification& operator=(const Notification&) = delete;

  void Notify() {
    MutexLock lock(&mutex_);
    notified_ = true;
    changed_.SignalAll();
  }
  void Wait() {
    MutexLock lock(&mutex_);
    changed_.Await(&mutex_, [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return notified_; });
  }
  bool HasBeenNotified() {
    MutexLock lock(&mutex_);
    return notified_;
  }

 private:
  Mutex mutex_;
  CondVar changed_;
  bool notified_ ABSL_GUARDED_BY(mutex_) = false;
};

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_SYNC_H_
