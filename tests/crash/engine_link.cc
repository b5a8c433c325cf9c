#include "tests/crash/engine_link.h"

#include <chrono>

#include "engine/strings.h"
#include "google/rpc/status.pb.h"

namespace argentpoche::crash {
namespace {

template <typename Response>
grpc::Status Invoke(grpc::Status (Stub::*method)(grpc::ClientContext*, const v1::SignedCommand&,
                                                 Response*),
                    Stub& stub, const v1::SignedCommand& request, int64_t timeout_ms,
                    std::string* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  Response answer;
  grpc::Status status = (stub.*method)(&context, request, &answer);
  if (status.ok()) *response = answer.SerializeAsString();
  return status;
}

}  // namespace

std::shared_ptr<Stub> ConnectTo(int port) {
  grpc::ChannelArguments arguments;
  // A fresh connection per run: never share a subchannel with an earlier engine.
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return v1::EscrowEngine::NewStub(grpc::CreateCustomChannel(
      Concat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), arguments));
}

CallPermit::CallPermit(CallPermit&& other) noexcept
    : link_(other.link_), stub_(std::move(other.stub_)), generation_(other.generation_) {
  other.link_ = nullptr;
}

CallPermit::~CallPermit() {
  if (link_ != nullptr) link_->Release();
}

CallPermit EngineLink::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return shut_down_ || serving_; });
  if (shut_down_) return CallPermit();
  ++calls_in_flight_;
  return CallPermit(this, stub_, generation_);
}

void EngineLink::Release() {
  std::lock_guard<std::mutex> lock(mutex_);
  --calls_in_flight_;
  changed_.notify_all();
}

void EngineLink::Publish(std::shared_ptr<Stub> stub) {
  std::lock_guard<std::mutex> lock(mutex_);
  stub_ = std::move(stub);
  serving_ = true;
  ++generation_;
  changed_.notify_all();
}

void EngineLink::Withdraw() {
  std::lock_guard<std::mutex> lock(mutex_);
  serving_ = false;
  stub_.reset();
}

bool EngineLink::WaitForCallsToEnd(int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [this] { return calls_in_flight_ == 0; });
}

void EngineLink::Shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  shut_down_ = true;
  changed_.notify_all();
}

void EngineLink::RequestStop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stop_requested_ = true;
}

bool EngineLink::stop_requested() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stop_requested_;
}

int64_t EngineLink::generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

grpc::Status SendCommand(Stub& stub, v1::Command::ActionCase action,
                         const v1::SignedCommand& request, int64_t timeout_ms,
                         std::string* response) {
  switch (action) {
    case v1::Command::kRegisterParty:
      return Invoke(&Stub::RegisterParty, stub, request, timeout_ms, response);
    case v1::Command::kOpenAccount:
      return Invoke(&Stub::OpenAccount, stub, request, timeout_ms, response);
    case v1::Command::kCreditAccount:
      return Invoke(&Stub::CreditAccount, stub, request, timeout_ms, response);
    case v1::Command::kDebitAccount:
      return Invoke(&Stub::DebitAccount, stub, request, timeout_ms, response);
    case v1::Command::kCreateHold:
      return Invoke(&Stub::CreateHold, stub, request, timeout_ms, response);
    case v1::Command::kReleaseHold:
      return Invoke(&Stub::ReleaseHold, stub, request, timeout_ms, response);
    case v1::Command::kVoidHold:
      return Invoke(&Stub::VoidHold, stub, request, timeout_ms, response);
    case v1::Command::kCreateContract:
      return Invoke(&Stub::CreateContract, stub, request, timeout_ms, response);
    case v1::Command::kSignContract:
      return Invoke(&Stub::SignContract, stub, request, timeout_ms, response);
    case v1::Command::kFundContract:
      return Invoke(&Stub::FundContract, stub, request, timeout_ms, response);
    case v1::Command::kProposeSplit:
      return Invoke(&Stub::ProposeSplit, stub, request, timeout_ms, response);
    case v1::Command::kAcceptSplit:
      return Invoke(&Stub::AcceptSplit, stub, request, timeout_ms, response);
    case v1::Command::kDisputeContract:
      return Invoke(&Stub::DisputeContract, stub, request, timeout_ms, response);
    case v1::Command::kDecideContract:
      return Invoke(&Stub::DecideContract, stub, request, timeout_ms, response);
    case v1::Command::kEndorseContract:
      return Invoke(&Stub::EndorseContract, stub, request, timeout_ms, response);
    case v1::Command::kRevealPreimage:
      return Invoke(&Stub::RevealPreimage, stub, request, timeout_ms, response);
    case v1::Command::kRegisterOracle:
      return Invoke(&Stub::RegisterOracle, stub, request, timeout_ms, response);
    case v1::Command::kRotateOracleKey:
      return Invoke(&Stub::RotateOracleKey, stub, request, timeout_ms, response);
    case v1::Command::kRevokeOracle:
      return Invoke(&Stub::RevokeOracle, stub, request, timeout_ms, response);
    case v1::Command::kAnnounceEvent:
      return Invoke(&Stub::AnnounceEvent, stub, request, timeout_ms, response);
    case v1::Command::kSubmitAttestation:
      return Invoke(&Stub::SubmitAttestation, stub, request, timeout_ms, response);
    case v1::Command::ACTION_NOT_SET:
      break;
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "the harness sent a command with no action");
}

std::string ErrorReason(const grpc::Status& status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return "";
  }
  for (const google::protobuf::Any& detail : details.details()) {
    google::rpc::ErrorInfo info;
    if (detail.UnpackTo(&info)) return info.reason();
  }
  return "";
}

bool IsInDoubt(const grpc::Status& status) {
  const std::string reason = ErrorReason(status);
  if (!reason.empty()) return reason == "ENGINE_BUSY" || reason == "COMMIT_FAILED";
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

int64_t WallNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace argentpoche::crash
