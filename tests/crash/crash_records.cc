#include "tests/crash/crash_records.h"

#include <cstdio>

#include "engine/envelope.h"

namespace argentpoche::crash {

v1::Command CommandOf(const v1::SignedEnvelope& envelope) {
  const std::string prefix = TaggedBytes(domain::kCommand, "");
  v1::Command command;
  if (!envelope.body().starts_with(prefix) ||
      !command.ParseFromString(envelope.body().substr(prefix.size()))) {
    return v1::Command();
  }
  return command;
}

void AcknowledgedLog::Add(std::shared_ptr<const Acknowledged> acknowledged) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++per_generation_[acknowledged->generation];
  records_.push_back(std::move(acknowledged));
}

size_t AcknowledgedLog::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_.size();
}

std::shared_ptr<const Acknowledged> AcknowledgedLog::at(size_t index) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return records_.at(index);
}

int64_t AcknowledgedLog::CountInGeneration(int64_t generation) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = per_generation_.find(generation);
  return found == per_generation_.end() ? 0 : found->second;
}

void IssuedMoney::AddInDoubt(const std::string& currency, int64_t minor_units) {
  std::lock_guard<std::mutex> lock(mutex_);
  ranges_[currency].in_doubt += minor_units;
}

void IssuedMoney::Acknowledge(const std::string& currency, int64_t minor_units) {
  std::lock_guard<std::mutex> lock(mutex_);
  Range& range = ranges_[currency];
  range.in_doubt -= minor_units;
  range.acknowledged += minor_units;
}

void IssuedMoney::Refuse(const std::string& currency, int64_t minor_units) {
  std::lock_guard<std::mutex> lock(mutex_);
  ranges_[currency].in_doubt -= minor_units;
}

std::map<std::string, IssuedMoney::Range> IssuedMoney::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ranges_;
}

void Violations::Add(const std::string& description) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++count_;
  if (descriptions_.size() >= kMaxKept) return;
  descriptions_.push_back(description);
  std::fprintf(stderr, "crash harness: VIOLATION: %s\n", description.c_str());
}

int64_t Violations::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return count_;
}

std::vector<std::string> Violations::descriptions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return descriptions_;
}

bool SettledContracts::Record(const std::string& contract_id, const std::string& receipt) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto [found, added] = receipts_.emplace(contract_id, receipt);
  return added || found->second == receipt;
}

std::vector<std::pair<std::string, std::string>> SettledContracts::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {receipts_.begin(), receipts_.end()};
}

}  // namespace argentpoche::crash
