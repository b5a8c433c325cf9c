// How the engine names its records: account ids, derived ids and the store keys of
// every table and index. One place, so that every reader and writer agrees.
// Free functions only; thread-safe.
#ifndef ARGENTPOCHE_ENGINE_KEYS_H_
#define ARGENTPOCHE_ENGINE_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace argentpoche::keys {

// 20 decimal digits, so that numbers sort as strings.
std::string Padded(uint64_t number);

std::string PartyAccountId(std::string_view party_id, std::string_view currency);
std::string FloatAccountId(std::string_view currency);
std::string OfflineAccountId(std::string_view currency);
std::string HoldAccountId(std::string_view hold_id);

// A new id, the same every time the same caller sends the same request id:
// `prefix` + 16 hex chars of SHA-256(caller "/" request id "/" salt).
std::string DerivedId(std::string_view prefix, std::string_view caller_party_id,
                      std::string_view request_id, std::string_view salt = "");

// kRequests key.
std::string Request(std::string_view caller_party_id, std::string_view request_id);
// kSchedule key: due time first so that a scan finds what is due.
std::string Schedule(int64_t due_unix_ms, std::string_view kind, std::string_view subject_id);

// kIndex keys and their prefixes.
std::string OwnerAccountPrefix(std::string_view owner_party_id);
std::string OwnerAccount(std::string_view owner_party_id, std::string_view account_id);
std::string AccountTransferPrefix(std::string_view account_id);
std::string AccountTransfer(std::string_view account_id, uint64_t transfer_id);
std::string PartyContractPrefix(std::string_view party_id);
std::string PartyContract(std::string_view party_id, std::string_view contract_id);

// Contracts waiting for an event's attestations, and contracts relying on an oracle.
std::string EventContractPrefix(std::string_view feed, std::string_view event_id);
std::string EventContract(std::string_view feed, std::string_view event_id,
                          std::string_view contract_id);
std::string OracleContractPrefix(std::string_view oracle_party_id);
std::string OracleContract(std::string_view oracle_party_id, std::string_view contract_id);

// kOracleEvents key; kAttestations keys (feed and event id hold no NUL: checked on entry).
std::string OracleEvent(std::string_view feed, std::string_view event_id);
std::string EventAttestationPrefix(std::string_view feed, std::string_view event_id);
std::string Attestation(std::string_view feed, std::string_view event_id,
                        std::string_view oracle_party_id, std::string_view body_digest_hex);

// kMeta keys.
inline constexpr std::string_view kJournalHead = "journal-head";
inline constexpr std::string_view kCounters = "counters";

}  // namespace argentpoche::keys

#endif  // ARGENTPOCHE_ENGINE_KEYS_H_
