#include "oracles/attestation.h"

#include "engine/check.h"
#include "engine/envelope.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::oracles {
namespace {

// Fields joined with a separator no feed or event id holds, then hashed.
std::string DigestOf(std::initializer_list<std::string> fields) {
  Sha256Hasher hasher;
  for (const std::string& field : fields) {
    hasher.Update(field);
    hasher.Update(std::string_view("\n", 1));
  }
  return Hex(hasher.Finish()).substr(0, 32);
}

std::string Describe(const EventSpec& event) {
  if (event.kind == EventKind::kPrice) {
    return Concat(event.price_event.is_average() ? "mean price of " : "price of ",
                  event.price_feed.base, " in ", event.price_feed.quote, ", ", event.event_id);
  }
  std::string_view what = "highest daily maximum temperature";
  switch (event.weather_feed.index) {
    case v1::WEATHER_INDEX_RAINFALL:
      what = "total precipitation";
      break;
    case v1::WEATHER_INDEX_HEATING_DEGREE_DAYS:
      what = "heating degree days";
      break;
    case v1::WEATHER_INDEX_COOLING_DEGREE_DAYS:
      what = "cooling degree days";
      break;
    default:
      break;
  }
  return Concat(what, " at ", event.weather_feed.source, "/", event.weather_feed.station, ", ",
                event.event_id);
}

}  // namespace

absl::StatusOr<v1::AnnounceEvent> MakeAnnouncement(const EventSpec& event, int64_t window_ms) {
  const int64_t observed_at = ObservedAtUnixMs(event);
  int64_t until = 0;
  if (window_ms <= 0 || __builtin_add_overflow(observed_at, window_ms, &until)) {
    return InvalidArgument("BAD_WINDOW",
                           Concat("the observation window must be positive and end before "
                                  "the year 292 million (",
                                  window_ms, " ms)"));
  }
  v1::AnnounceEvent announcement;
  announcement.set_feed(event.feed);
  announcement.set_event_id(event.event_id);
  announcement.set_expected_at_unix_ms(observed_at);
  announcement.set_observe_from_unix_ms(observed_at);
  announcement.set_observe_until_unix_ms(until);
  announcement.set_description(Describe(event));
  return announcement;
}

v1::Attestation MakeAttestation(const EventSpec& event, const RoundedValue& value,
                                const std::string& key_id) {
  v1::Attestation attestation;
  attestation.set_feed(event.feed);
  attestation.set_event_id(event.event_id);
  attestation.set_value(value.value);
  attestation.set_scale(value.scale);
  attestation.set_observed_at_unix_ms(ObservedAtUnixMs(event));
  attestation.set_oracle_party_id(key_id);
  attestation.set_oracle_key_id(key_id);
  return attestation;
}

std::string AnnounceRequestId(const v1::AnnounceEvent& announcement) {
  return Concat("oracle-announce-", DigestOf({announcement.feed(), announcement.event_id(),
                                              std::to_string(announcement.expected_at_unix_ms()),
                                              std::to_string(announcement.observe_from_unix_ms()),
                                              std::to_string(announcement.observe_until_unix_ms()),
                                              announcement.description()}));
}

std::string AttestRequestId(const v1::Attestation& attestation) {
  return Concat("oracle-attest-",
                DigestOf({attestation.feed(), attestation.event_id(),
                          std::to_string(attestation.value()), std::to_string(attestation.scale()),
                          std::to_string(attestation.observed_at_unix_ms())}));
}

v1::Command AnnounceCommand(const v1::AnnounceEvent& announcement) {
  v1::Command command;
  command.set_request_id(AnnounceRequestId(announcement));
  *command.mutable_announce_event() = announcement;
  return command;
}

v1::Command AttestCommand(const v1::Attestation& attestation, const SigningKey& key) {
  POCHE_CHECK(attestation.oracle_key_id() == key.key_id());
  POCHE_CHECK(attestation.oracle_party_id() == key.key_id());
  std::string payload;
  POCHE_CHECK(attestation.SerializeToString(&payload));
  v1::Command command;
  command.set_request_id(AttestRequestId(attestation));
  *command.mutable_submit_attestation()->mutable_attestation() =
      SealEnvelope(domain::kAttestation, payload, key);
  return command;
}

}  // namespace argentpoche::oracles
