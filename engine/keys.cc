#include "engine/keys.h"

#include "absl/strings/str_format.h"
#include "engine/check.h"
#include "engine/crypto.h"
#include "engine/strings.h"

namespace argentpoche::keys {

std::string Padded(uint64_t number) { return absl::StrFormat("%020u", number); }

std::string PartyAccountId(std::string_view party_id, std::string_view currency) {
  return Concat(party_id, ":", currency);
}
std::string FloatAccountId(std::string_view currency) { return Concat("float:", currency); }
std::string OfflineAccountId(std::string_view currency) { return Concat("offline:", currency); }
std::string HoldAccountId(std::string_view hold_id) { return Concat("hold:", hold_id); }

std::string DerivedId(std::string_view prefix, std::string_view caller_party_id,
                      std::string_view request_id, std::string_view salt) {
  const std::string digest = Sha256(Concat(caller_party_id, "/", request_id, "/", salt));
  return Concat(prefix, Hex(digest.substr(0, 8)));
}

std::string Request(std::string_view caller_party_id, std::string_view request_id) {
  return Concat(caller_party_id, "/", request_id);
}

std::string Schedule(int64_t due_unix_ms, std::string_view kind, std::string_view subject_id) {
  POCHE_CHECK(due_unix_ms >= 0);
  return Concat(Padded(static_cast<uint64_t>(due_unix_ms)), "/", kind, "/", subject_id);
}

std::string OwnerAccountPrefix(std::string_view owner_party_id) {
  return Concat("owner-account/", owner_party_id, "/");
}
std::string OwnerAccount(std::string_view owner_party_id, std::string_view account_id) {
  return Concat(OwnerAccountPrefix(owner_party_id), account_id);
}
std::string AccountTransferPrefix(std::string_view account_id) {
  return Concat("account-transfer/", account_id, "/");
}
std::string AccountTransfer(std::string_view account_id, uint64_t transfer_id) {
  return Concat(AccountTransferPrefix(account_id), Padded(transfer_id));
}
std::string PartyContractPrefix(std::string_view party_id) {
  return Concat("party-contract/", party_id, "/");
}
std::string PartyContract(std::string_view party_id, std::string_view contract_id) {
  return Concat(PartyContractPrefix(party_id), contract_id);
}

std::string EventContractPrefix(std::string_view feed, std::string_view event_id) {
  return Concat("event-contract/", feed, std::string_view("\0", 1), event_id,
                std::string_view("\0", 1));
}
std::string EventContract(std::string_view feed, std::string_view event_id,
                          std::string_view contract_id) {
  return Concat(EventContractPrefix(feed, event_id), contract_id);
}
std::string OracleContractPrefix(std::string_view oracle_party_id) {
  return Concat("oracle-contract/", oracle_party_id, "/");
}
std::string OracleContract(std::string_view oracle_party_id, std::string_view contract_id) {
  return Concat(OracleContractPrefix(oracle_party_id), contract_id);
}

std::string OracleEvent(std::string_view feed, std::string_view event_id) {
  return Concat(feed, std::string_view("\0", 1), event_id);
}
std::string EventAttestationPrefix(std::string_view feed, std::string_view event_id) {
  return Concat(OracleEvent(feed, event_id), std::string_view("\0", 1));
}
std::string Attestation(std::string_view feed, std::string_view event_id,
                        std::string_view oracle_party_id, std::string_view body_digest_hex) {
  return Concat(EventAttestationPrefix(feed, event_id), oracle_party_id, std::string_view("\0", 1),
                body_digest_hex);
}

}  // namespace argentpoche::keys
