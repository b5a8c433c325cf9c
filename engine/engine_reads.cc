// Engine's read methods: committed state, straight from the store.
#include "engine/check.h"
#include "engine/engine.h"
#include "engine/keys.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

struct Page {
  std::vector<std::pair<std::string, std::string>> rows;
  std::string next_page_token;
};

// Up to `page_size` rows of `table` whose keys start with `prefix`, after `page_token`.
absl::StatusOr<Page> ReadPage(const Store& store, Table table, std::string_view prefix,
                              const std::string& page_token, int page_size) {
  if (page_size < 0 || page_size > limits::kMaxPageSize) {
    return InvalidArgument("BAD_PAGE_SIZE",
                           Concat("page_size must be between 1 and ", limits::kMaxPageSize));
  }
  const size_t size = page_size == 0 ? limits::kDefaultPageSize : static_cast<size_t>(page_size);
  std::string start(prefix);
  if (!page_token.empty()) {
    absl::StatusOr<std::string> last_key = FromHex(page_token);
    if (!last_key.ok() || !last_key->starts_with(prefix)) {
      return InvalidArgument("BAD_PAGE_TOKEN", "the page token does not belong to this list");
    }
    start = *last_key + std::string(1, '\0');
  }
  Page page;
  POCHE_RETURN_IF_ERROR(store.Scan(table, start, PrefixEnd(prefix), size + 1,
                                   [&](std::string_view key, std::string_view value) {
                                     page.rows.emplace_back(std::string(key), std::string(value));
                                     return true;
                                   }));
  if (page.rows.size() > size) {
    page.rows.pop_back();
    page.next_page_token = Hex(page.rows.back().first);
  }
  return page;
}

template <typename Message>
absl::StatusOr<Message> ReadOne(const Store& store, Table table, const std::string& key,
                                std::string_view reason, std::string_view what) {
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store.Get(table, key));
  if (!bytes) return NotFound(reason, Concat("there is no ", what, " ", key));
  Message message;
  if (!message.ParseFromString(*bytes)) {
    return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                 Concat("the stored ", what, " ", key, " does not parse"));
  }
  return message;
}

// The id after the index prefix.
std::string IndexedId(const std::string& index_key, std::string_view prefix) {
  POCHE_CHECK(index_key.starts_with(prefix));
  return index_key.substr(prefix.size());
}

}  // namespace

v1::EngineInfo Engine::Info() const {
  v1::EngineInfo info;
  info.set_receipt_public_key(receipt_key_.public_key());
  info.set_receipt_key_id(receipt_key_.key_id());
  for (const std::string& key : options_.operator_public_keys) {
    info.add_operator_party_ids(KeyIdOf(key));
  }
  info.set_now_unix_ms(clock_->NowUnixMs());
  info.set_max_command_skew_ms(options_.max_command_skew_ms);
  return info;
}

absl::StatusOr<v1::Party> Engine::GetParty(const std::string& party_id) const {
  return ReadOne<v1::Party>(*store_, Table::kParties, party_id, "PARTY_NOT_FOUND", "party");
}

absl::StatusOr<v1::Account> Engine::GetAccount(const std::string& account_id) const {
  return ReadOne<v1::Account>(*store_, Table::kAccounts, account_id, "ACCOUNT_NOT_FOUND",
                              "account");
}

absl::StatusOr<v1::Hold> Engine::GetHold(const std::string& hold_id) const {
  return ReadOne<v1::Hold>(*store_, Table::kHolds, hold_id, "HOLD_NOT_FOUND", "hold");
}

absl::StatusOr<v1::Contract> Engine::GetContract(const std::string& contract_id) const {
  return ReadOne<v1::Contract>(*store_, Table::kContracts, contract_id, "CONTRACT_NOT_FOUND",
                               "contract");
}

absl::StatusOr<v1::ListAccountsResponse> Engine::ListAccounts(
    const v1::ListAccountsRequest& request) const {
  v1::ListAccountsResponse response;
  const bool by_owner = !request.owner_party_id().empty();
  const std::string prefix = by_owner ? keys::OwnerAccountPrefix(request.owner_party_id()) : "";
  POCHE_ASSIGN_OR_RETURN(Page page, ReadPage(*store_, by_owner ? Table::kIndex : Table::kAccounts,
                                             prefix, request.page_token(), request.page_size()));
  for (const auto& [key, value] : page.rows) {
    if (by_owner) {
      POCHE_ASSIGN_OR_RETURN(*response.add_accounts(), GetAccount(IndexedId(key, prefix)));
    } else if (!response.add_accounts()->ParseFromString(value)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                   "a stored account does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::ListTransfersResponse> Engine::ListTransfers(
    const v1::ListTransfersRequest& request) const {
  POCHE_RETURN_IF_ERROR(GetAccount(request.account_id()).status());
  const std::string prefix = keys::AccountTransferPrefix(request.account_id());
  POCHE_ASSIGN_OR_RETURN(Page page, ReadPage(*store_, Table::kIndex, prefix, request.page_token(),
                                             request.page_size()));
  v1::ListTransfersResponse response;
  for (const auto& row : page.rows) {
    POCHE_ASSIGN_OR_RETURN(
        *response.add_transfers(),
        ReadOne<v1::Transfer>(*store_, Table::kTransfers, IndexedId(row.first, prefix),
                              "TRANSFER_NOT_FOUND", "transfer"));
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::ListContractsResponse> Engine::ListContracts(
    const v1::ListContractsRequest& request) const {
  v1::ListContractsResponse response;
  const bool by_party = !request.party_id().empty();
  const std::string prefix = by_party ? keys::PartyContractPrefix(request.party_id()) : "";
  POCHE_ASSIGN_OR_RETURN(Page page, ReadPage(*store_, by_party ? Table::kIndex : Table::kContracts,
                                             prefix, request.page_token(), request.page_size()));
  for (const auto& [key, value] : page.rows) {
    if (by_party) {
      POCHE_ASSIGN_OR_RETURN(*response.add_contracts(), GetContract(IndexedId(key, prefix)));
    } else if (!response.add_contracts()->ParseFromString(value)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                   "a stored contract does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::ListJournalRecordsResponse> Engine::ListJournalRecords(
    const v1::ListJournalRecordsRequest& request) const {
  POCHE_ASSIGN_OR_RETURN(
      Page page, ReadPage(*store_, Table::kJournal, "", request.page_token(), request.page_size()));
  v1::ListJournalRecordsResponse response;
  for (const auto& row : page.rows) {
    if (!response.add_records()->ParseFromString(row.second)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                   "a journal record does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::Oracle> Engine::GetOracle(const std::string& party_id) const {
  return ReadOne<v1::Oracle>(*store_, Table::kOracles, party_id, "ORACLE_NOT_FOUND", "oracle");
}

absl::StatusOr<v1::ListOraclesResponse> Engine::ListOracles(
    const v1::ListOraclesRequest& request) const {
  POCHE_ASSIGN_OR_RETURN(
      Page page, ReadPage(*store_, Table::kOracles, "", request.page_token(), request.page_size()));
  v1::ListOraclesResponse response;
  for (const auto& row : page.rows) {
    if (!response.add_oracles()->ParseFromString(row.second)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD", "a stored oracle does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::OracleEvent> Engine::GetOracleEvent(const std::string& feed,
                                                       const std::string& event_id) const {
  absl::StatusOr<v1::OracleEvent> event = ReadOne<v1::OracleEvent>(
      *store_, Table::kOracleEvents, keys::OracleEvent(feed, event_id), "EVENT_NOT_FOUND", "event");
  if (absl::IsNotFound(event.status())) {
    return NotFound("EVENT_NOT_FOUND",
                    Concat("no oracle announced event ", event_id, " of feed ", feed));
  }
  return event;
}

absl::StatusOr<v1::ListAttestationsResponse> Engine::ListAttestations(
    const v1::ListAttestationsRequest& request) const {
  POCHE_RETURN_IF_ERROR(GetOracleEvent(request.feed(), request.event_id()).status());
  POCHE_ASSIGN_OR_RETURN(Page page,
                         ReadPage(*store_, Table::kAttestations,
                                  keys::EventAttestationPrefix(request.feed(), request.event_id()),
                                  request.page_token(), request.page_size()));
  v1::ListAttestationsResponse response;
  for (const auto& row : page.rows) {
    if (!response.add_attestations()->ParseFromString(row.second)) {
      return Error(absl::StatusCode::kDataLoss, "CORRUPT_RECORD",
                   "a stored attestation does not parse");
    }
  }
  response.set_next_page_token(page.next_page_token);
  return response;
}

absl::StatusOr<v1::EquivocationProof> Engine::GetEquivocationProof(const std::string& id) const {
  return ReadOne<v1::EquivocationProof>(*store_, Table::kEquivocations, id, "PROOF_NOT_FOUND",
                                        "equivocation proof");
}

}  // namespace argentpoche
