#include "engine/ledger.h"

#include "argentpoche/v1/journal.pb.h"
#include "engine/check.h"
#include "engine/currency.h"
#include "engine/keys.h"
#include "engine/limits.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

void StoreAccount(ApplyContext& ctx, const v1::Account& account) {
  POCHE_CHECK(!account.id().empty());
  ctx.transaction->PutMessage(Table::kAccounts, account.id(), account);
}

v1::Account NewAccount(const ApplyContext& ctx, std::string_view id, std::string_view owner,
                       v1::AccountKind kind, std::string_view currency) {
  v1::Account account;
  account.set_id(std::string(id));
  account.set_owner_party_id(std::string(owner));
  account.set_kind(kind);
  account.mutable_balance()->set_currency(std::string(currency));
  account.mutable_balance()->set_minor_units(0);
  account.set_created_at_unix_ms(ctx.now_unix_ms);
  return account;
}

absl::StatusOr<uint64_t> NextTransferId(ApplyContext& ctx) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Counters> counters,
                         ctx.transaction->GetMessage<v1::Counters>(Table::kMeta, keys::kCounters));
  v1::Counters next = counters.value_or(v1::Counters());
  const uint64_t id = next.next_transfer_id() + 1;
  next.set_next_transfer_id(id);
  ctx.transaction->PutMessage(Table::kMeta, keys::kCounters, next);
  return id;
}

absl::Status CheckCurrency(const v1::Account& account, const Money& amount) {
  if (account.balance().currency() == amount.currency()) return absl::OkStatus();
  return InvalidArgument("CURRENCY_MISMATCH",
                         Concat("account ", account.id(), " holds ", account.balance().currency(),
                                ", not ", amount.currency()));
}

}  // namespace

absl::StatusOr<v1::Account> LoadAccount(const ApplyContext& ctx, std::string_view account_id) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Account> account,
                         ctx.transaction->GetMessage<v1::Account>(Table::kAccounts, account_id));
  if (!account) {
    return NotFound("ACCOUNT_NOT_FOUND", Concat("there is no account ", account_id));
  }
  return *std::move(account);
}

absl::StatusOr<v1::Account> OpenPartyAccount(ApplyContext& ctx, std::string_view owner_party_id,
                                             std::string_view currency) {
  POCHE_RETURN_IF_ERROR(CurrencyExponent(currency).status());
  const std::string id = keys::PartyAccountId(owner_party_id, currency);
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                         ctx.transaction->Get(Table::kAccounts, id));
  if (existing) {
    return AlreadyExists("ACCOUNT_EXISTS", Concat("account ", id, " is already open"));
  }
  v1::Account account = NewAccount(ctx, id, owner_party_id, v1::ACCOUNT_KIND_PARTY, currency);
  StoreAccount(ctx, account);
  ctx.transaction->Put(Table::kIndex, keys::OwnerAccount(owner_party_id, id), "");
  return account;
}

absl::StatusOr<v1::Account> EnsureSystemAccount(ApplyContext& ctx, std::string_view account_id,
                                                v1::AccountKind kind, std::string_view currency) {
  POCHE_CHECK(kind != v1::ACCOUNT_KIND_PARTY);
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Account> existing,
                         ctx.transaction->GetMessage<v1::Account>(Table::kAccounts, account_id));
  if (existing) {
    POCHE_CHECK(existing->kind() == kind);
    return *std::move(existing);
  }
  v1::Account account = NewAccount(ctx, account_id, "", kind, currency);
  StoreAccount(ctx, account);
  return account;
}

absl::StatusOr<v1::Transfer> MoveMoney(ApplyContext& ctx, std::string_view from_account_id,
                                       std::string_view to_account_id, const Money& amount,
                                       std::string_view kind, std::string_view reference) {
  POCHE_CHECK(amount.minor_units() > 0);
  POCHE_CHECK(from_account_id != to_account_id);
  POCHE_ASSIGN_OR_RETURN(v1::Account from, LoadAccount(ctx, from_account_id));
  POCHE_ASSIGN_OR_RETURN(v1::Account to, LoadAccount(ctx, to_account_id));
  POCHE_RETURN_IF_ERROR(CheckCurrency(from, amount));
  POCHE_RETURN_IF_ERROR(CheckCurrency(to, amount));

  const int64_t from_balance = from.balance().minor_units();
  if (from.kind() != v1::ACCOUNT_KIND_FLOAT && from_balance < amount.minor_units()) {
    return FailedPrecondition("INSUFFICIENT_FUNDS",
                              Concat("account ", from.id(), " holds ", FormatMoney(from.balance()),
                                     ", ", amount.ToString(), " needed"));
  }
  POCHE_ASSIGN_OR_RETURN(int64_t new_from, CheckedSubtract(from_balance, amount.minor_units()));
  POCHE_ASSIGN_OR_RETURN(int64_t new_to,
                         CheckedAdd(to.balance().minor_units(), amount.minor_units()));
  if (new_to > limits::kMaxAmountMinorUnits || new_from < -limits::kMaxAmountMinorUnits) {
    return OutOfRange(
        "AMOUNT_OUT_OF_RANGE",
        Concat("moving ", amount.ToString(), " would take a balance beyond what the ledger holds"));
  }
  from.mutable_balance()->set_minor_units(new_from);
  to.mutable_balance()->set_minor_units(new_to);
  StoreAccount(ctx, from);
  StoreAccount(ctx, to);

  POCHE_ASSIGN_OR_RETURN(uint64_t transfer_id, NextTransferId(ctx));
  v1::Transfer transfer;
  transfer.set_id(transfer_id);
  transfer.set_from_account_id(std::string(from_account_id));
  transfer.set_to_account_id(std::string(to_account_id));
  *transfer.mutable_amount() = amount.ToProto();
  transfer.set_at_unix_ms(ctx.now_unix_ms);
  transfer.set_kind(std::string(kind));
  transfer.set_reference(std::string(reference));
  transfer.set_journal_sequence(ctx.journal_sequence);
  ctx.transaction->PutMessage(Table::kTransfers, keys::Padded(transfer_id), transfer);
  ctx.transaction->Put(Table::kIndex, keys::AccountTransfer(from_account_id, transfer_id), "");
  ctx.transaction->Put(Table::kIndex, keys::AccountTransfer(to_account_id, transfer_id), "");
  ctx.transfers.push_back(transfer);
  return transfer;
}

}  // namespace argentpoche
