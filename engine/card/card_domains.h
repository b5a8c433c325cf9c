// The domain tags of everything a card or its issuer signs, hashes or derives keys from.
// Each signed byte string is TaggedBytes(tag, fields) (engine/envelope.h), so a signature
// made for one kind of message can never pass for another kind.
#ifndef ARGENTPOCHE_ENGINE_CARD_CARD_DOMAINS_H_
#define ARGENTPOCHE_ENGINE_CARD_CARD_DOMAINS_H_

#include <string_view>

namespace argentpoche::card::domain {

// Issuer-signed.
inline constexpr std::string_view kCertificate = "argentpoche/v1/card-certificate";
inline constexpr std::string_view kRevocationList = "argentpoche/v1/card-revocation-list";
inline constexpr std::string_view kSyncAcknowledgement = "argentpoche/v1/card-sync-ack";
// Card-signed.
inline constexpr std::string_view kRequest = "argentpoche/v1/card-request";
inline constexpr std::string_view kValue = "argentpoche/v1/card-value";
inline constexpr std::string_view kAck = "argentpoche/v1/card-ack";
inline constexpr std::string_view kSyncReport = "argentpoche/v1/card-sync-report";
// Hashed: the start of every transfer transcript, and the session key derivation.
inline constexpr std::string_view kTranscript = "argentpoche/v1/card-transcript";
inline constexpr std::string_view kSessionKey = "argentpoche/v1/card-session-key";

}  // namespace argentpoche::card::domain

#endif  // ARGENTPOCHE_ENGINE_CARD_CARD_DOMAINS_H_
