// Test issuer and test cards (see card_testing.h).
#include "engine/card/card_testing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "engine/card/card_client.h"
#include "engine/card/certificate.h"
#include "engine/card/sync_report.h"
#include "engine/check.h"
#include "engine/status.h"
#include "engine/strings.h"

namespace argentpoche::card {

std::string TestCardId(int number) {
  char id[16];
  std::snprintf(id, sizeof(id), "C%07d", number);
  return std::string(id, 8);
}

const SigningKey& TestIssuer::key(uint8_t generation) {
  auto found = keys_.find(generation);
  if (found == keys_.end()) {
    const std::string seed =
        Sha256(Concat("TEST SEED - NOT A REAL ISSUER KEY: ", label_, " generation ", generation));
    found = keys_.emplace(generation, *SigningKey::FromSeed(seed)).first;
  }
  return found->second;
}

std::map<uint8_t, std::string> TestIssuer::public_keys() const {
  std::map<uint8_t, std::string> keys;
  for (const auto& [generation, key] : keys_) keys[generation] = key.public_key();
  return keys;
}

TestCard::TestCard(TestIssuer& issuer, const Clock& clock, int number,
                   const TestCardOptions& options, std::unique_ptr<CardStore> store)
    : clock_(clock), id_(TestCardId(number)), store_(std::move(store)) {
  if (store_ == nullptr) {
    auto memory = std::make_unique<MemoryCardStore>();
    memory_store_ = memory.get();
    store_ = std::move(memory);
  }
  random_ = std::make_unique<SeededRandom>(Concat("TEST SEED - NOT FOR A REAL CARD: ", number));
  Personalization setup;
  setup.card_id = id_;
  for (uint8_t generation : options.generations) {
    setup.generations.push_back({generation, issuer.key(generation).public_key()});
  }
  setup.purses = options.purses;
  setup.pin = options.pin;
  setup.pin_try_limit = options.pin_try_limit;
  setup.max_offline_payments = options.max_offline_payments;
  absl::StatusOr<std::unique_ptr<SoftwareCard>> card =
      SoftwareCard::Personalize(setup, *store_, *random_, clock_);
  POCHE_CHECK(card.ok());
  card_ = *std::move(card);
  transport_.Attach(card_.get());
  const std::vector<uint8_t>& certified =
      options.certified.empty() ? options.generations : options.certified;
  for (uint8_t generation : certified) {
    const absl::StatusOr<CardPublicKey> public_key = ReadPublicKey(transport_, generation);
    POCHE_CHECK(public_key.ok() && public_key->card_id == id_);
    const CardCertificate certificate = IssueCertificate(
        generation, id_, public_key->public_key, options.expires_at_unix_s, issuer.key(generation));
    POCHE_CHECK(InstallCertificate(transport_, certificate).ok());
  }
}

int64_t TestCard::Balance(std::string_view currency) const {
  const Purse* purse = FindPurse(state(), currency);
  return purse == nullptr ? 0 : purse->balance;
}

void TestCard::PowerCycle() {
  transport_.Attach(nullptr);
  card_.reset();
  absl::StatusOr<std::unique_ptr<SoftwareCard>> card =
      SoftwareCard::PowerUp(*store_, *random_, clock_);
  POCHE_CHECK(card.ok());
  card_ = *std::move(card);
  transport_.Attach(card_.get());
}

absl::StatusOr<std::string> FaultyTransport::Transmit(std::string_view command) {
  const bool armed = static_cast<int>(exchanges_.size()) == armed_exchange_;
  exchanges_.push_back({std::string(command), ""});
  const absl::Status link_down =
      Error(absl::StatusCode::kUnavailable, "LINK_DOWN", "the link was cut (injected)");
  std::string sent(command);
  if (armed && fault_ == LinkFault::kDropCommand) return link_down;
  if (armed && fault_ == LinkFault::kFlipCommandByte && !sent.empty()) {
    sent[byte_index_ % sent.size()] ^= static_cast<char>(mask_);
  }
  if (armed && fault_ == LinkFault::kDuplicateCommand) (void)inner_.Transmit(sent);
  absl::StatusOr<std::string> response = inner_.Transmit(sent);
  if (!response.ok()) return response;
  if (armed && fault_ == LinkFault::kDropResponse) return link_down;
  if (armed && fault_ == LinkFault::kFlipResponseByte && !response->empty()) {
    (*response)[byte_index_ % response->size()] ^= static_cast<char>(mask_);
  }
  exchanges_.back().response = *response;
  return response;
}

void SyncCard(TestCard& card, TestIssuer& issuer, Reconciler& reconciler,
              std::vector<Refund>& refunds) {
  static uint64_t sync_number = 0;
  const std::string challenge = Sha256(Concat("challenge ", ++sync_number)).substr(0, 16);
  const absl::StatusOr<std::string> report = ReadSyncReport(card.transport(), challenge);
  ASSERT_TRUE(report.ok()) << report.status();
  const absl::StatusOr<std::vector<Refund>> decided = reconciler.Submit(*report, challenge);
  ASSERT_TRUE(decided.ok()) << decided.status();
  refunds.insert(refunds.end(), decided->begin(), decided->end());
  const absl::StatusOr<SyncReport> parsed = DecodeSyncReport(*report);
  ASSERT_TRUE(parsed.ok());
  const absl::StatusOr<CardCertificate> certificate = DecodeCertificate(parsed->certificate);
  ASSERT_TRUE(certificate.ok());
  const SyncAcknowledgement ack = IssueSyncAcknowledgement(
      certificate->generation, card.id(), parsed->counter, issuer.key(certificate->generation));
  ASSERT_TRUE(AcknowledgeSync(card.transport(), ack).ok());
}

bool SettleAndCheck(TestCard& payer, TestCard& payee, TestIssuer& issuer, Reconciler& reconciler,
                    const std::string& currency, int64_t amount, int64_t payer_before,
                    int64_t payee_before) {
  std::vector<Refund> refunds;
  SyncCard(payer, issuer, reconciler, refunds);
  SyncCard(payee, issuer, reconciler, refunds);
  EXPECT_TRUE(reconciler.Undecided().empty());
  int64_t refunded = 0;
  for (const Refund& refund : refunds) {
    EXPECT_EQ(refund.payer_card_id, payer.id());
    EXPECT_EQ(refund.payee_card_id, payee.id());
    EXPECT_EQ(refund.currency, currency);
    EXPECT_EQ(refund.amount, amount);
    refunded += refund.amount;
  }
  const int64_t payer_after = payer.Balance(currency) + refunded;
  const int64_t payee_after = payee.Balance(currency);
  EXPECT_EQ(payer_after + payee_after, payer_before + payee_before) << "value not conserved";
  const bool paid = payee_after == payee_before + amount;
  if (paid) {
    EXPECT_EQ(payer_after, payer_before - amount);
  } else {
    EXPECT_EQ(payee_after, payee_before) << "the payee is richer than a payment makes it";
    EXPECT_EQ(payer_after, payer_before) << "the payer lost value";
  }
  EXPECT_TRUE(payer.state().log.empty());
  EXPECT_TRUE(payee.state().log.empty());
  return paid;
}

}  // namespace argentpoche::card
