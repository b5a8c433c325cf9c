// Tests of mutual authentication: cards of one issuer agree a session key; a card from
// another issuer, a revoked or expired card, or a generation the other does not hold is
// refused; messages of an old session are refused; and an eavesdropper on the relay sees
// neither an amount nor key material, with a fresh session key every session.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "engine/card/apdu.h"
#include "engine/card/card_client.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/session_crypto.h"
#include "engine/card/transfer_messages.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

using Refusal = std::pair<PaymentStep, uint16_t>;
const Refusal kPaid{PaymentStep::kDone, sw::kOk};

Refusal Pay(TestCard& payer, TestCard& payee, uint8_t generation = 0) {
  PaymentOrder order("EUR", 1'00);
  order.generation = generation;
  const PaymentOutcome outcome = PaymentSession(payer.transport(), payee.transport()).Run(order);
  return {outcome.failed_step, outcome.status_word};
}

// The response to one command frame.
ResponseFrame Send(TestCard& card, const CommandFrame& command) {
  const absl::StatusOr<ResponseFrame> response = Call(card.transport(), command);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? *response : ResponseFrame{"", 0};
}

class AuthenticationTest : public ::testing::Test {
 protected:
  ManualClock clock_{kTestNowMs};
  TestIssuer issuer_;
  TestCard alice_{issuer_, clock_, 1, {}};
  TestCard bob_{issuer_, clock_, 2, {}};
  TestCard carol_{issuer_, clock_, 3, {}};
};

TEST_F(AuthenticationTest, CardsOfOneIssuerAgreeOneSessionKey) {
  EXPECT_EQ(Pay(alice_, bob_), kPaid);
  EXPECT_EQ(alice_.card().session_key_fingerprint(), bob_.card().session_key_fingerprint());
}

TEST_F(AuthenticationTest, CardFromAnotherIssuerIsRefusedEitherWay) {
  TestIssuer other("other");
  TestCard mallory(other, clock_, 9, {});
  const CardState bob_before = bob_.state();
  EXPECT_EQ(Pay(mallory, bob_), Refusal(PaymentStep::kRequest, sw::kOtherIssuer));
  EXPECT_EQ(bob_.state(), bob_before);
  const CardState alice_before = alice_.state();
  EXPECT_EQ(Pay(alice_, mallory), Refusal(PaymentStep::kRequest, sw::kOtherIssuer));
  EXPECT_EQ(alice_.state(), alice_before);
}

TEST_F(AuthenticationTest, RevokedCardIsRefusedByPayeeAndPayer) {
  ASSERT_TRUE(InstallRevocationList(bob_.transport(),
                                    IssueRevocationList(1, 1, {alice_.id()}, issuer_.key(1)))
                  .ok());
  const CardState bob_before = bob_.state();
  EXPECT_EQ(Pay(alice_, bob_), Refusal(PaymentStep::kRequest, sw::kCardRevoked));
  EXPECT_EQ(bob_.state(), bob_before);

  ASSERT_TRUE(InstallRevocationList(alice_.transport(),
                                    IssueRevocationList(1, 1, {carol_.id()}, issuer_.key(1)))
                  .ok());
  const CardState alice_before = alice_.state();
  EXPECT_EQ(Pay(alice_, carol_), Refusal(PaymentStep::kValue, sw::kCardRevoked));
  EXPECT_EQ(alice_.state(), alice_before);
}

TEST_F(AuthenticationTest, RevocationListMustBeNewerAndFromTheIssuer) {
  const RevocationList first = IssueRevocationList(1, 5, {carol_.id()}, issuer_.key(1));
  ASSERT_TRUE(InstallRevocationList(alice_.transport(), first).ok());
  EXPECT_EQ(StatusWordOf(InstallRevocationList(alice_.transport(), first)), sw::kStaleUpdate);
  TestIssuer other("other");
  EXPECT_EQ(StatusWordOf(InstallRevocationList(alice_.transport(),
                                               IssueRevocationList(1, 6, {}, other.key(1)))),
            sw::kOtherIssuer);
  EXPECT_EQ(Pay(alice_, carol_), Refusal(PaymentStep::kValue, sw::kCardRevoked));
  ASSERT_TRUE(
      InstallRevocationList(alice_.transport(), IssueRevocationList(1, 6, {}, issuer_.key(1)))
          .ok());
  EXPECT_EQ(Pay(alice_, carol_), kPaid);
}

TEST_F(AuthenticationTest, ExpiredCertificatesAreRefused) {
  TestCardOptions short_lived;
  short_lived.expires_at_unix_s = kTestNowMs / 1000 + 60;
  TestCard dave(issuer_, clock_, 4, short_lived);
  // dave says hello while valid; its certificate expires before the payee sees it.
  const ResponseFrame hello = Send(dave, {kCla, ins::kHello, 0, 0, "", 256});
  ASSERT_EQ(hello.status_word, sw::kOk);
  clock_.Advance(61'000);
  const CardState bob_before = bob_.state();
  EXPECT_EQ(Send(bob_, {kCla, ins::kRequest, 0, 0, EncodeRequestCommand("EUR", 1, hello.data), 256})
                .status_word,
            sw::kCertificateExpired);
  EXPECT_EQ(bob_.state(), bob_before);
  // Relayed again (dave answers a duplicate HELLO as before), bob still refuses it.
  EXPECT_EQ(Pay(dave, bob_), Refusal(PaymentStep::kRequest, sw::kCertificateExpired));
  // After a reset, the expired card refuses to start a transfer either way.
  dave.PowerCycle();
  EXPECT_EQ(Pay(dave, bob_), Refusal(PaymentStep::kHello, sw::kCertificateExpired));
  EXPECT_EQ(Pay(bob_, dave), Refusal(PaymentStep::kRequest, sw::kCertificateExpired));
}

TEST_F(AuthenticationTest, GenerationsMustMatchAndMigratingCardsSpeakBoth) {
  TestCardOptions new_only;
  new_only.generations = {2};
  TestCard dave(issuer_, clock_, 4, new_only);
  EXPECT_EQ(Pay(alice_, dave), Refusal(PaymentStep::kRequest, sw::kWrongGeneration));
  EXPECT_EQ(Pay(dave, alice_), Refusal(PaymentStep::kRequest, sw::kWrongGeneration));

  TestCardOptions both;
  both.generations = {1, 2};
  TestCard erin(issuer_, clock_, 5, both);
  EXPECT_EQ(Pay(erin, dave), kPaid);  // newest: generation 2
  EXPECT_EQ(Pay(erin, alice_), Refusal(PaymentStep::kRequest, sw::kWrongGeneration));
  EXPECT_EQ(Pay(erin, alice_, 1), kPaid);
  EXPECT_EQ(Pay(alice_, erin), kPaid);  // erin answers in generation 1
  EXPECT_EQ(Pay(dave, erin), kPaid);    // and in generation 2

  TestCardOptions half_migrated;
  half_migrated.generations = {1, 2};
  half_migrated.certified = {1};
  TestCard frank(issuer_, clock_, 6, half_migrated);
  EXPECT_EQ(Pay(frank, dave, 2), Refusal(PaymentStep::kHello, sw::kWrongGeneration));
  EXPECT_EQ(Pay(frank, alice_), kPaid);
}

TEST_F(AuthenticationTest, MessagesOfAnOldSessionAreRefused) {
  FaultyTransport payer_tap(alice_.transport());
  FaultyTransport payee_tap(bob_.transport());
  ASSERT_TRUE(PaymentSession(payer_tap, payee_tap).Run({"EUR", 5'00}).status.ok());
  const std::string old_value_command = payer_tap.exchanges()[1].command;  // carries the request
  const std::string old_close_command = payer_tap.exchanges()[2].command;  // carries the ack
  const std::string old_ack_command = payee_tap.exchanges()[1].command;    // carries the value
  const CardState alice_before = alice_.state();
  const CardState bob_before = bob_.state();
  auto status_word = [](TestCard& card, const std::string& frame) {
    return DecodeResponse(*card.transport().Transmit(frame))->status_word;
  };
  // Right after the session, a repeated frame is a duplicate: the same answer again.
  EXPECT_EQ(*bob_.transport().Transmit(old_ack_command), payee_tap.exchanges()[1].response);
  EXPECT_EQ(bob_.state(), bob_before);

  // With no session open.
  alice_.PowerCycle();
  bob_.PowerCycle();
  EXPECT_EQ(status_word(alice_, old_value_command), sw::kConditionsNotSatisfied);
  EXPECT_EQ(status_word(bob_, old_ack_command), sw::kConditionsNotSatisfied);
  EXPECT_EQ(status_word(alice_, old_close_command), sw::kConditionsNotSatisfied);

  // Inside a new session: another session's id.
  const ResponseFrame hello = Send(alice_, {kCla, ins::kHello, 0, 0, "", 256});
  ASSERT_EQ(hello.status_word, sw::kOk);
  EXPECT_EQ(status_word(alice_, old_value_command), sw::kOtherSession);
  // With its session id rewritten to the new one, the transcript signature fails.
  const ResponseFrame hello_again = Send(alice_, {kCla, ins::kHello, 0, 0, "", 256});
  std::string forged = old_value_command;
  forged.replace(5, kSessionIdBytes, TranscriptStart(hello_again.data).substr(0, kSessionIdBytes));
  EXPECT_EQ(status_word(alice_, forged), sw::kBadSignature);
  EXPECT_EQ(alice_.state(), alice_before);

  const ResponseFrame request = Send(
      bob_, {kCla, ins::kRequest, 0, 0, EncodeRequestCommand("EUR", 5'00, hello_again.data), 256});
  ASSERT_EQ(request.status_word, sw::kOk);
  EXPECT_EQ(status_word(bob_, old_ack_command), sw::kOtherSession);
  EXPECT_EQ(bob_.Balance("EUR"), bob_before.purses[0].balance);
}

TEST_F(AuthenticationTest, EavesdropperSeesNoAmountAndNoKeys) {
  TestCardOptions rich;
  rich.purses = {{"EUR", 1'000'000'00, 10'000'000'00}};
  TestCard payer(issuer_, clock_, 7, rich);
  TestCard payee(issuer_, clock_, 8, rich);
  FaultyTransport payer_tap(payer.transport());
  FaultyTransport payee_tap(payee.transport());
  constexpr int64_t kAmount = 76'543'21;
  std::vector<std::string> fingerprints;
  std::vector<std::string> sealed_requests;
  for (int session = 0; session < 2; ++session) {
    ASSERT_TRUE(PaymentSession(payer_tap, payee_tap).Run({"EUR", kAmount}).status.ok());
    fingerprints.push_back(payer.card().session_key_fingerprint());
    sealed_requests.push_back(payee_tap.exchanges().end()[-2].response.substr(
        kSessionIdBytes + kCertificateBytes + kX25519Bytes + kCounterBytes, kSealedRequestBytes));
  }
  EXPECT_NE(fingerprints[0], fingerprints[1]);
  EXPECT_NE(sealed_requests[0], sealed_requests[1]);

  const std::string amount_bytes = EncodeAmount("EUR", kAmount).substr(kCurrencyBytes);
  std::vector<std::string> secrets;
  for (const TestCard* card : {&payer, &payee}) {
    for (const KeySlot& slot : card->state().slots) secrets.push_back(slot.seed);
  }
  std::vector<std::string> relayed;
  for (const auto& exchange : payer_tap.exchanges()) {
    relayed.push_back(exchange.command);
    relayed.push_back(exchange.response);
  }
  for (const auto& exchange : payee_tap.exchanges()) {
    relayed.push_back(exchange.response);
    // The REQUEST command carries the amount the payee's holder typed, on the payee's side
    // only: the hello it relays is checked like every other frame.
    if (static_cast<uint8_t>(exchange.command[1]) == ins::kRequest) {
      EXPECT_NE(exchange.command.find(amount_bytes), std::string::npos);
      relayed.push_back(exchange.command.substr(5 + kCurrencyBytes + kAmountBytes + 2));
    } else {
      relayed.push_back(exchange.command);
    }
  }
  for (const std::string& frame : relayed) {
    EXPECT_EQ(frame.find(amount_bytes), std::string::npos);
    for (const std::string& secret : secrets) EXPECT_EQ(frame.find(secret), std::string::npos);
  }
}

}  // namespace
}  // namespace argentpoche::card
