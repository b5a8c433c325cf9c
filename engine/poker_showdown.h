// Showdown of a Texas hold'em hand: the players still in, each with two hole cards, share
// a five-card board; the best five of each player's seven decide, and the pot goes to the
// best hand, split exactly among tied winners.
//
//   std::vector<std::array<poker::Card, 2>> hands = ...;  // in order of play
//   absl::StatusOr<poker::ShowdownResult> result = poker::Showdown(hands, board, 1001);
//
// THE SPLIT RULE: players are listed in order of play, starting with the first seat to the
// left of the dealer (the small blind, or the first player after it still in the hand).
// With w winners, each winner gets floor(pot / w) minor units, and the pot mod w units left
// over go one each to the winners who come first in that list. So a pot of 1001 between
// players 1 and 3 of 0..4 pays player 1 501 and player 3 500. The payouts add up exactly
// to the pot, integers only.
//
// One pot only: side pots (players all in for less) are separate Showdown calls over the
// players eligible for each, by the caller. Pure; thread-safe.
#ifndef ARGENTPOCHE_ENGINE_POKER_SHOWDOWN_H_
#define ARGENTPOCHE_ENGINE_POKER_SHOWDOWN_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/poker.h"

namespace argentpoche::poker {

// Board cards at a showdown, and most players in one (2 * 23 + 5 = 51 cards).
inline constexpr size_t kBoardCards = 5;
inline constexpr size_t kMaxShowdownPlayers = 23;

struct ShowdownResult {
  // Per player, in the order given: the best five and their value.
  std::vector<BestHand> hands;
  // Positions (in the order given) of the players with the best value, increasing.
  std::vector<size_t> winners;
  // Per player, in the order given: minor units won (0 for the others). Sums to the pot.
  std::vector<int64_t> payouts_minor_units;
};

// The showdown of `hands` (in order of play, see the file comment) on `board`, sharing
// `pot_minor_units`. InvalidArgument: "NO_PLAYERS" with no hand, "TOO_MANY_PLAYERS"
// beyond kMaxShowdownPlayers, "MALFORMED_BOARD" unless the board has kBoardCards cards,
// "MALFORMED_CARD" / "DUPLICATE_CARD" (see ValidateCards) over all hole and board cards;
// OutOfRange "AMOUNT_OUT_OF_RANGE" for a pot below 0 or above
// limits::kMaxAmountMinorUnits.
[[nodiscard]] absl::StatusOr<ShowdownResult> Showdown(std::span<const std::array<Card, 2>> hands,
                                                      std::span<const Card> board,
                                                      int64_t pot_minor_units);

}  // namespace argentpoche::poker

#endif  // ARGENTPOCHE_ENGINE_POKER_SHOWDOWN_H_
