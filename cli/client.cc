#include "cli/client.h"

#include <sodium.h>

#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "google/rpc/status.pb.h"

namespace argentpoche::cli {
namespace {

// The ErrorInfo reason in a gRPC error's details, "" when there is none.
std::string ReasonInDetails(const grpc::Status& status) {
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

constexpr std::string_view kTransportPayloadUrl = "type.argentpoche/cli-transport";
// Largest PEM file read for TLS.
constexpr size_t kMaxPemFileBytes = 1024 * 1024;

// The content of a PEM file given by `flag`; never quoted in an error.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, std::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  std::string content;
  char buffer[4096];
  while (in && content.size() <= kMaxPemFileBytes) {
    in.read(buffer, sizeof buffer);
    content.append(buffer, static_cast<size_t>(in.gcount()));
  }
  if (content.find("-----BEGIN ") == std::string::npos || content.size() > kMaxPemFileBytes) {
    sodium_memzero(content.data(), content.size());
    return Error(absl::StatusCode::kFailedPrecondition, "TLS_FILE",
                 Concat("--", flag, " ", path, " cannot be read or holds no PEM block"));
  }
  return content;
}

// Plaintext when no TLS file is named; TLS otherwise, with the client certificate when
// one is named. The key's bytes are wiped once gRPC has its copy.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> CredentialsFor(const ClientTls& tls) {
  if (!tls.any()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  if (!tls.ca_file.empty()) {
    POCHE_ASSIGN_OR_RETURN(options.pem_root_certs, ReadPemFile(tls.ca_file, "tls_ca"));
  }
  if (!tls.certificate_file.empty()) {
    POCHE_ASSIGN_OR_RETURN(options.pem_cert_chain, ReadPemFile(tls.certificate_file, "tls_cert"));
    POCHE_ASSIGN_OR_RETURN(options.pem_private_key, ReadPemFile(tls.private_key_file, "tls_key"));
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::SslCredentials(options);
  sodium_memzero(options.pem_private_key.data(), options.pem_private_key.size());
  return credentials;
}

// The error for a failure the engine did not answer with a reason of its own.
absl::Status TransportError(absl::StatusCode code, std::string_view message) {
  absl::Status status = Error(code, absl::StatusCodeToString(code), message);
  status.SetPayload(absl::string_view(kTransportPayloadUrl.data(), kTransportPayloadUrl.size()),
                    absl::Cord("transport"));
  return status;
}

}  // namespace

bool IsTransportError(const absl::Status& status) {
  return status
      .GetPayload(absl::string_view(kTransportPayloadUrl.data(), kTransportPayloadUrl.size()))
      .has_value();
}

absl::Status FromGrpcStatus(const grpc::Status& status, const std::string& target, bool tls) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  const std::string reason = ReasonInDetails(status);
  if (!reason.empty()) return Error(code, reason, status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      return TransportError(
          code, Concat("cannot reach the engine at ", target, " (", status.error_message(),
                       "); is poche-engine running there? Set --engine or POCHE_ENGINE",
                       tls ? ". Over TLS, also check that --tls_ca issued the engine's "
                             "certificate and that the engine's client CA issued --tls_cert"
                           : ". If the engine requires mutual TLS, give --tls_ca, --tls_cert "
                             "and --tls_key"));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return TransportError(code, Concat("the engine at ", target, " did not answer within ",
                                         kCallTimeout.count(), " s"));
    default:
      return TransportError(code, status.error_message());
  }
}

int64_t LocalNowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

EngineClient::EngineClient(std::string target, const ClientTls& tls)
    : target_(std::move(target)), tls_(tls.any()) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = CredentialsFor(tls);
  if (!credentials.ok()) {
    setup_ = credentials.status();
    credentials = grpc::InsecureChannelCredentials();  // never used: every call fails
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(limits::kMaxMessageBytes);
  channel_ = grpc::CreateCustomChannel(target_, *credentials, arguments);
  stub_ = v1::EscrowEngine::NewStub(channel_);
}

absl::StatusOr<v1::EngineInfo> EngineClient::Info() {
  return Call(&v1::EscrowEngine::Stub::GetEngineInfo, v1::GetEngineInfoRequest());
}

absl::StatusOr<v1::Party> EngineClient::GetParty(const std::string& party_id) {
  v1::GetPartyRequest request;
  request.set_party_id(party_id);
  return Call(&v1::EscrowEngine::Stub::GetParty, request);
}

absl::StatusOr<v1::Account> EngineClient::GetAccount(const std::string& account_id) {
  v1::GetAccountRequest request;
  request.set_account_id(account_id);
  return Call(&v1::EscrowEngine::Stub::GetAccount, request);
}

absl::StatusOr<v1::Contract> EngineClient::GetContract(const std::string& contract_id) {
  v1::GetContractRequest request;
  request.set_contract_id(contract_id);
  return Call(&v1::EscrowEngine::Stub::GetContract, request);
}

absl::StatusOr<v1::Hold> EngineClient::GetHold(const std::string& hold_id) {
  v1::GetHoldRequest request;
  request.set_hold_id(hold_id);
  return Call(&v1::EscrowEngine::Stub::GetHold, request);
}

}  // namespace argentpoche::cli
