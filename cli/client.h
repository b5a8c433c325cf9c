// The poche client's connection to the engine: one gRPC channel (plaintext, TLS, or TLS
// with a client certificate for an engine that requires mutual TLS), every call with a
// 10 s deadline, and gRPC errors turned into statuses that carry the engine's reason
// (from the google.rpc.Status details).
// Not thread-safe: one client per process.
#ifndef ARGENTPOCHE_CLI_CLIENT_H_
#define ARGENTPOCHE_CLI_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "argentpoche/v1/engine_service.grpc.pb.h"
#include "engine/crypto.h"
#include "grpcpp/grpcpp.h"

namespace argentpoche::cli {

inline constexpr std::chrono::seconds kCallTimeout{10};

// A stub method such as &v1::EscrowEngine::Stub::GetParty.
template <typename Request, typename Response>
using StubMethod = grpc::Status (v1::EscrowEngine::Stub::*)(grpc::ClientContext*, const Request&,
                                                            Response*);

// The status for a failed call: the engine's message and ErrorInfo reason, or for
// transport failures (engine unreachable, no answer in time) a message in words and the
// gRPC code's name as the reason. `tls` says whether the call went over TLS (for hints).
[[nodiscard]] absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& target,
                                          bool tls);
// True for a failure in transit (no answer from the engine): the outcome of a command is
// then unknown.
[[nodiscard]] bool IsTransportError(const absl::Status& status);

// Milliseconds since the Unix epoch on this machine's clock: the time commands are signed.
[[nodiscard]] int64_t LocalNowUnixMs();

// PEM files for TLS; all empty: plaintext.
struct ClientTls {
  // The CA that issued the engine's certificate ("" trusts the system's CAs).
  std::string ca_file;
  // The client certificate and its key, for mutual TLS (both or neither).
  std::string certificate_file;
  std::string private_key_file;

  bool any() const { return !ca_file.empty() || !certificate_file.empty(); }
};

class EngineClient {
 public:
  // Connects lazily to `target` ("host:port") on the first call. When a TLS file cannot
  // be read, every call fails with FAILED_PRECONDITION "TLS_FILE".
  EngineClient(std::string target, const ClientTls& tls);

  const std::string& target() const { return target_; }

  // Calls `method` with `request`.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(StubMethod<Request, Response> method, const Request& request) {
    if (!setup_.ok()) return setup_;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    Response response;
    const grpc::Status status = (stub_.get()->*method)(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status, target_, tls_);
    return response;
  }

  // Calls a list method page after page, passing each response to `visit` (which returns
  // an absl::Status), until the engine gives no next page token.
  template <typename Request, typename Response, typename Visit>
  absl::Status ForEachPage(StubMethod<Request, Response> method, Request request, Visit visit) {
    while (true) {
      absl::StatusOr<Response> page = Call(method, request);
      if (!page.ok()) return page.status();
      if (absl::Status status = visit(*page); !status.ok()) return status;
      if (page->next_page_token().empty()) return absl::OkStatus();
      if (page->next_page_token() == request.page_token()) {
        return absl::DataLossError("the engine returned the same page token twice");
      }
      request.set_page_token(page->next_page_token());
    }
  }

  // Shorthands for the reads used everywhere.
  absl::StatusOr<v1::EngineInfo> Info();
  absl::StatusOr<v1::Party> GetParty(const std::string& party_id);
  absl::StatusOr<v1::Account> GetAccount(const std::string& account_id);
  absl::StatusOr<v1::Contract> GetContract(const std::string& contract_id);
  absl::StatusOr<v1::Hold> GetHold(const std::string& hold_id);

 private:
  std::string target_;
  bool tls_ = false;
  absl::Status setup_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::EscrowEngine::Stub> stub_;
};

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_CLIENT_H_
