#include "engine/poker_showdown.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/check.h"
#include "engine/limits.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::poker {

absl::StatusOr<ShowdownResult> Showdown(std::span<const std::array<Card, 2>> hands,
                                        std::span<const Card> board, int64_t pot_minor_units) {
  if (hands.empty()) return InvalidArgument("NO_PLAYERS", "a showdown needs at least one hand");
  if (hands.size() > kMaxShowdownPlayers) {
    return InvalidArgument("TOO_MANY_PLAYERS",
                           Concat(hands.size(), " players, at most ", kMaxShowdownPlayers));
  }
  if (board.size() != kBoardCards) {
    return InvalidArgument("MALFORMED_BOARD",
                           Concat("the board has ", board.size(), " cards, not ", kBoardCards));
  }
  if (pot_minor_units < 0 || pot_minor_units > limits::kMaxAmountMinorUnits) {
    return OutOfRange("AMOUNT_OUT_OF_RANGE",
                      Concat("pot of ", pot_minor_units, " minor units is out of range"));
  }
  std::vector<Card> all(board.begin(), board.end());
  for (const std::array<Card, 2>& hand : hands) all.insert(all.end(), hand.begin(), hand.end());
  POCHE_RETURN_IF_ERROR(ValidateCards(all));

  ShowdownResult result;
  HandValue best;
  for (const std::array<Card, 2>& hand : hands) {
    const std::array<Card, 7> seven = {hand[0],  hand[1],  board[0], board[1],
                                       board[2], board[3], board[4]};
    result.hands.push_back(BestFive(seven));
    if (result.hands.size() == 1 || result.hands.back().value > best) {
      best = result.hands.back().value;
    }
  }
  for (size_t player = 0; player < result.hands.size(); ++player) {
    if (result.hands[player].value == best) result.winners.push_back(player);
  }
  POCHE_CHECK(!result.winners.empty());

  const auto winner_count = static_cast<int64_t>(result.winners.size());
  const int64_t share = pot_minor_units / winner_count;
  int64_t odd_units = pot_minor_units % winner_count;
  result.payouts_minor_units.assign(hands.size(), 0);
  for (size_t winner : result.winners) {
    result.payouts_minor_units[winner] = share + (odd_units > 0 ? 1 : 0);
    if (odd_units > 0) --odd_units;
  }
  int64_t paid = 0;
  for (int64_t payout : result.payouts_minor_units) paid += payout;
  POCHE_CHECK(paid == pot_minor_units);
  return result;
}

}  // namespace argentpoche::poker
