// Tests of the card's frame handling: every malformed frame (truncated, Lc not matching,
// longer than a short APDU, another class, an unknown instruction, wrong P1/P2, data of
// the wrong length, out-of-sequence steps) gets its status word and changes nothing;
// personalisation is checked; a failed save stops the card until it is reset.
#include "engine/card/software_card.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/card/apdu.h"
#include "engine/card/card_client.h"
#include "engine/card/card_testing.h"
#include "engine/card/payment_session.h"
#include "engine/card/transfer_messages.h"
#include "engine/clock.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

class SoftwareCardTest : public ::testing::Test {
 protected:
  uint16_t StatusWordFor(TestCard& card, const std::string& bytes) {
    const absl::StatusOr<std::string> response = card.transport().Transmit(bytes);
    EXPECT_TRUE(response.ok());
    return DecodeResponse(*response)->status_word;
  }

  // A well-formed REQUEST command for `payee` carrying a fresh hello from `payer`.
  std::string RequestFrame(TestCard& payer, int64_t amount) {
    const absl::StatusOr<ResponseFrame> hello =
        Call(payer.transport(), {kCla, ins::kHello, 0, 0, "", 256});
    EXPECT_TRUE(hello.ok() && hello->status_word == sw::kOk);
    return *EncodeCommand(
        {kCla, ins::kRequest, 0, 0, EncodeRequestCommand("EUR", amount, hello->data), 256});
  }

  ManualClock clock_{kTestNowMs};
  TestIssuer issuer_;
  TestCard alice_{issuer_, clock_, 1, {}};
  TestCard bob_{issuer_, clock_, 2, {}};
};

TEST_F(SoftwareCardTest, MalformedFramesGetTheirStatusWordAndChangeNothing) {
  const std::string request = RequestFrame(alice_, 1'00);
  const CardState before = bob_.state();
  std::string too_long = request;
  too_long.append(300, 'x');
  std::string wrong_class = request;
  wrong_class[0] = 0x00;
  std::string unknown_instruction = request;
  unknown_instruction[1] = 0x7E;
  std::string wrong_p1 = request;
  wrong_p1[2] = 0x01;
  std::string lc_too_big = request;
  lc_too_big[4] = static_cast<char>(static_cast<uint8_t>(lc_too_big[4]) + 3);
  std::string short_data = request.substr(0, 5 + 100);
  short_data[4] = 100;  // a consistent Lc, but not a REQUEST's length

  EXPECT_EQ(StatusWordFor(bob_, request.substr(0, request.size() - 2)), sw::kWrongLength);
  EXPECT_EQ(StatusWordFor(bob_, request.substr(0, 3)), sw::kWrongLength);
  EXPECT_EQ(StatusWordFor(bob_, too_long), sw::kWrongLength);
  EXPECT_EQ(StatusWordFor(bob_, lc_too_big), sw::kWrongLength);
  EXPECT_EQ(StatusWordFor(bob_, short_data), sw::kWrongLength);
  EXPECT_EQ(StatusWordFor(bob_, wrong_class), sw::kClaNotSupported);
  EXPECT_EQ(StatusWordFor(bob_, unknown_instruction), sw::kInsNotSupported);
  EXPECT_EQ(StatusWordFor(bob_, wrong_p1), sw::kWrongP1P2);
  EXPECT_EQ(bob_.state(), before);
  // The well-formed frame still works.
  EXPECT_EQ(StatusWordFor(bob_, request), sw::kOk);
}

TEST_F(SoftwareCardTest, StepsOutOfSequenceAreRefused) {
  const CardState before = alice_.state();
  const std::string value = *EncodeCommand({kCla, ins::kValue, 0, 0, std::string(240, 'v'), 256});
  const std::string ack = *EncodeCommand({kCla, ins::kAck, 0, 0, std::string(68, 'a'), 256});
  const std::string close = *EncodeCommand({kCla, ins::kClose, 0, 0, std::string(68, 'c'), {}});
  EXPECT_EQ(StatusWordFor(alice_, value), sw::kConditionsNotSatisfied);
  EXPECT_EQ(StatusWordFor(alice_, ack), sw::kConditionsNotSatisfied);
  EXPECT_EQ(StatusWordFor(alice_, close), sw::kConditionsNotSatisfied);
  // A payer after HELLO takes no ACK or CLOSE.
  (void)RequestFrame(alice_, 1);
  EXPECT_EQ(StatusWordFor(alice_, ack), sw::kConditionsNotSatisfied);
  EXPECT_EQ(StatusWordFor(alice_, close), sw::kConditionsNotSatisfied);
  EXPECT_EQ(alice_.state(), before);
}

TEST_F(SoftwareCardTest, AmountChangedOnTheLocalLinkIsRefused) {
  std::string request = RequestFrame(alice_, 1'00);
  request[5 + 3 + 7] ^= 0x01;  // the amount's last byte
  const CardState before = bob_.state();
  EXPECT_EQ(StatusWordFor(bob_, request), sw::kWrongData);
  EXPECT_EQ(bob_.state(), before);
}

TEST_F(SoftwareCardTest, PersonalizationIsChecked) {
  MemoryCardStore store;
  SeededRandom random("TEST SEED - NOT FOR A REAL CARD: personalization");
  Personalization setup;
  setup.card_id = TestCardId(9);
  setup.generations = {{1, issuer_.key(1).public_key()}};
  setup.purses = {{"EUR", 0, 100}};
  EXPECT_TRUE(SoftwareCard::Personalize(setup, store, random, clock_).ok());
  Personalization bad = setup;
  bad.card_id = "short";
  EXPECT_EQ(ReasonOf(SoftwareCard::Personalize(bad, store, random, clock_).status()),
            "BAD_PERSONALIZATION");
  bad = setup;
  bad.purses = {{"EUX", 0, 100}};
  EXPECT_FALSE(SoftwareCard::Personalize(bad, store, random, clock_).ok());
  bad = setup;
  bad.purses = {{"EUR", 101, 100}};
  EXPECT_FALSE(SoftwareCard::Personalize(bad, store, random, clock_).ok());
  bad = setup;
  bad.pin = "12a4";
  EXPECT_FALSE(SoftwareCard::Personalize(bad, store, random, clock_).ok());
  bad = setup;
  bad.generations.push_back({1, issuer_.key(1).public_key()});
  EXPECT_FALSE(SoftwareCard::Personalize(bad, store, random, clock_).ok());
}

TEST_F(SoftwareCardTest, FailedSaveStopsTheCardUntilReset) {
  const CardState before = bob_.state();
  bob_.memory_store()->FailSaves(1, /*applied=*/false);
  const PaymentOutcome outcome =
      PaymentSession(alice_.transport(), bob_.transport()).Run({"EUR", 1'00});
  EXPECT_EQ(outcome.failed_step, PaymentStep::kRequest);
  EXPECT_EQ(outcome.status_word, sw::kMemoryFailure);
  EXPECT_EQ(StatusWordFor(bob_, *EncodeCommand({kCla, ins::kGetBalances, 0, 0, "", 256})),
            sw::kMemoryFailure);
  bob_.PowerCycle();
  EXPECT_EQ(bob_.state(), before);
  EXPECT_TRUE(PaymentSession(alice_.transport(), bob_.transport()).Run({"EUR", 1'00}).status.ok());
}

}  // namespace
}  // namespace argentpoche::card
