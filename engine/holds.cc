#include "engine/holds.h"

#include "engine/check.h"
#include "engine/keys.h"
#include "engine/ledger.h"
#include "engine/schedule.h"
#include "engine/strings.h"

namespace argentpoche {
namespace {

void StoreHold(ApplyContext& ctx, const v1::Hold& hold) {
  ctx.transaction->PutMessage(Table::kHolds, hold.id(), hold);
}

std::string_view ResolutionKind(v1::HoldState state) {
  switch (state) {
    case v1::HOLD_STATE_RELEASED:
      return "release";
    case v1::HOLD_STATE_VOIDED:
      return "void";
    case v1::HOLD_STATE_EXPIRED:
      return "expire";
    default:
      POCHE_CHECK(false);
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::Hold> LockHold(ApplyContext& ctx, const HoldRequest& request) {
  POCHE_CHECK(!request.hold_id.empty());
  POCHE_CHECK(request.amount.minor_units() > 0);
  POCHE_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                         ctx.transaction->Get(Table::kHolds, request.hold_id));
  if (existing) {
    return AlreadyExists("HOLD_EXISTS", Concat("hold ", request.hold_id, " exists"));
  }
  const std::string hold_account = keys::HoldAccountId(request.hold_id);
  POCHE_RETURN_IF_ERROR(
      EnsureSystemAccount(ctx, hold_account, v1::ACCOUNT_KIND_HOLD, request.amount.currency())
          .status());
  POCHE_RETURN_IF_ERROR(MoveMoney(ctx, request.payer_account_id, hold_account, request.amount,
                                  "lock", request.hold_id)
                            .status());
  v1::Hold hold;
  hold.set_id(request.hold_id);
  hold.set_payer_account_id(request.payer_account_id);
  hold.set_beneficiary_account_id(request.beneficiary_account_id);
  *hold.mutable_amount() = request.amount.ToProto();
  hold.set_expires_at_unix_ms(request.expires_at_unix_ms);
  hold.set_state(v1::HOLD_STATE_PENDING);
  hold.set_contract_id(request.contract_id);
  hold.set_created_at_unix_ms(ctx.now_unix_ms);
  StoreHold(ctx, hold);
  if (request.expires_at_unix_ms > 0) {
    ScheduleDeadline(ctx.transaction, request.expires_at_unix_ms, deadline::kHoldExpiry,
                     request.hold_id);
  }
  return hold;
}

absl::StatusOr<v1::Hold> LoadHold(const ApplyContext& ctx, std::string_view hold_id) {
  POCHE_ASSIGN_OR_RETURN(std::optional<v1::Hold> hold,
                         ctx.transaction->GetMessage<v1::Hold>(Table::kHolds, hold_id));
  if (!hold) return NotFound("HOLD_NOT_FOUND", Concat("there is no hold ", hold_id));
  return *std::move(hold);
}

absl::Status ResolveHold(ApplyContext& ctx, v1::Hold& hold, const std::vector<HoldPayout>& payouts,
                         v1::HoldState final_state) {
  if (hold.state() != v1::HOLD_STATE_PENDING) {
    return FailedPrecondition("HOLD_RESOLVED", Concat("hold ", hold.id(), " is already resolved"));
  }
  const std::string hold_account = keys::HoldAccountId(hold.id());
  const std::string& currency = hold.amount().currency();
  int64_t remaining = hold.amount().minor_units();
  const std::string_view kind = ResolutionKind(final_state);
  for (const HoldPayout& payout : payouts) {
    POCHE_CHECK(payout.minor_units >= 0);
    if (payout.minor_units > remaining) {
      return InvalidArgument("PAYOUT_EXCEEDS_HOLD",
                             Concat("the payouts add up to more than hold ", hold.id(), " locks (",
                                    FormatMoney(hold.amount()), ")"));
    }
    if (payout.minor_units == 0) continue;
    POCHE_ASSIGN_OR_RETURN(Money amount, Money::Create(currency, payout.minor_units));
    POCHE_RETURN_IF_ERROR(
        MoveMoney(ctx, hold_account, payout.account_id, amount, kind, hold.id()).status());
    v1::AccountPayout* record = hold.add_payouts();
    record->set_account_id(payout.account_id);
    *record->mutable_amount() = amount.ToProto();
    remaining -= payout.minor_units;
  }
  if (remaining > 0) {
    POCHE_ASSIGN_OR_RETURN(Money rest, Money::Create(currency, remaining));
    POCHE_RETURN_IF_ERROR(
        MoveMoney(ctx, hold_account, hold.payer_account_id(), rest, "refund", hold.id()).status());
  }
  POCHE_ASSIGN_OR_RETURN(v1::Account emptied, LoadAccount(ctx, hold_account));
  POCHE_CHECK(emptied.balance().minor_units() == 0);
  if (hold.expires_at_unix_ms() > 0) {
    CancelDeadline(ctx.transaction, hold.expires_at_unix_ms(), deadline::kHoldExpiry, hold.id());
  }
  hold.set_state(final_state);
  hold.set_resolved_at_unix_ms(ctx.now_unix_ms);
  StoreHold(ctx, hold);
  return absl::OkStatus();
}

absl::Status ApplyHoldExpiry(ApplyContext& ctx, const v1::DeadlineEvent& event) {
  POCHE_ASSIGN_OR_RETURN(v1::Hold hold, LoadHold(ctx, event.subject_id()));
  if (hold.state() != v1::HOLD_STATE_PENDING) return absl::OkStatus();
  return ResolveHold(ctx, hold, {}, v1::HOLD_STATE_EXPIRED);
}

}  // namespace argentpoche
