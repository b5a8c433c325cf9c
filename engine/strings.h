// Concat: joins text and integers into a std::string. It takes std::string_view,
// std::string, string literals, absl::string_view and integers alike (Debian's
// Abseil has its own string_view, which absl::StrCat would need at every call).
//
//   Concat("account ", account_id, " holds ", 12, " items")
#ifndef ARGENTPOCHE_ENGINE_STRINGS_H_
#define ARGENTPOCHE_ENGINE_STRINGS_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace argentpoche {
namespace internal_strings {

template <typename Piece>
void Append(std::string& out, const Piece& piece) {
  if constexpr (std::is_same_v<Piece, bool>) {
    out.append(piece ? "true" : "false");
  } else if constexpr (std::is_same_v<Piece, char>) {
    out.push_back(piece);
  } else if constexpr (std::is_integral_v<Piece>) {
    out.append(std::to_string(piece));
  } else if constexpr (std::is_same_v<Piece, absl::string_view>) {
    out.append(piece.data(), piece.size());
  } else {
    out.append(std::string_view(piece));
  }
}

}  // namespace internal_strings

template <typename... Pieces>
std::string Concat(const Pieces&... pieces) {
  std::string out;
  (internal_strings::Append(out, pieces), ...);
  return out;
}

}  // namespace argentpoche

#endif  // ARGENTPOCHE_ENGINE_STRINGS_H_
