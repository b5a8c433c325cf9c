#include "cli/parties.h"

#include "engine/strings.h"

namespace argentpoche::cli {

const std::optional<v1::Party>& PartyDirectory::Find(const std::string& party_id) {
  auto found = cache_.find(party_id);
  if (found != cache_.end()) return found->second;
  absl::StatusOr<v1::Party> party = client_.GetParty(party_id);
  std::optional<v1::Party> entry;
  if (party.ok()) entry = *std::move(party);
  return cache_.emplace(party_id, std::move(entry)).first->second;
}

std::string PartyDirectory::Name(const std::string& party_id) {
  const std::optional<v1::Party>& party = Find(party_id);
  if (party.has_value() && !party->display_name().empty()) return party->display_name();
  const std::string key_name = keys_.NameOf(party_id);
  return key_name.empty() ? party_id : key_name;
}

std::string PartyDirectory::Describe(const std::string& party_id) {
  if (party_id.empty()) return "nobody";
  const std::string name = Name(party_id);
  return name == party_id ? Concat("party ", party_id) : Concat(name, " (id ", party_id, ")");
}

std::string PartyDirectory::DescribeAccount(const std::string& account_id) {
  const size_t colon = account_id.find(':');
  if (colon == std::string::npos) return Concat("account ", account_id);
  const std::string owner = account_id.substr(0, colon);
  const std::string rest = account_id.substr(colon + 1);
  if (owner == "float") return Concat("the bank (", account_id, ")");
  if (owner == "hold") return Concat("escrow (", account_id, ")");
  if (owner == "offline") return Concat("cards (", account_id, ")");
  return Concat(Name(owner), "'s ", rest, " account (", account_id, ")");
}

}  // namespace argentpoche::cli
