// Tests of frame encoding and decoding: the four ISO cases, every length error, the
// 255-byte bound, and status word names.
#include "engine/card/apdu.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/card/card_limits.h"
#include "engine/status.h"

namespace argentpoche::card {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string bytes;
  for (int value : values) bytes.push_back(static_cast<char>(value));
  return bytes;
}

TEST(EncodeCommandTest, WritesTheFourIsoCases) {
  EXPECT_EQ(*EncodeCommand({kCla, 0x50, 1, 2, "", std::nullopt}), Bytes({0x80, 0x50, 1, 2}));
  EXPECT_EQ(*EncodeCommand({kCla, 0x50, 0, 0, "", 256}), Bytes({0x80, 0x50, 0, 0, 0x00}));
  EXPECT_EQ(*EncodeCommand({kCla, 0x52, 0, 0, "ab", std::nullopt}),
            Bytes({0x80, 0x52, 0, 0, 2, 'a', 'b'}));
  EXPECT_EQ(*EncodeCommand({kCla, 0x52, 0, 0, "ab", 16}),
            Bytes({0x80, 0x52, 0, 0, 2, 'a', 'b', 16}));
}

TEST(EncodeCommandTest, RefusesMoreThan255DataBytes) {
  const std::string data(kMaxFrameDataBytes + 1, 'x');
  EXPECT_EQ(ReasonOf(EncodeCommand({kCla, 0x52, 0, 0, data, 256}).status()), "FRAME_TOO_LONG");
  EXPECT_TRUE(EncodeCommand({kCla, 0x52, 0, 0, data.substr(1), 256}).ok());
  EXPECT_EQ(ReasonOf(EncodeResponse({data, sw::kOk}).status()), "FRAME_TOO_LONG");
}

TEST(DecodeCommandTest, RoundTripsEveryCase) {
  for (const CommandFrame& frame :
       {CommandFrame{kCla, 0x50, 0, 0, "", std::nullopt}, CommandFrame{kCla, 0x50, 3, 4, "", 1},
        CommandFrame{kCla, 0x54, 0, 0, std::string(255, '\xff'), std::nullopt},
        CommandFrame{kCla, 0x54, 0, 0, "x", 256}}) {
    const DecodedCommand decoded = DecodeCommand(*EncodeCommand(frame));
    ASSERT_EQ(decoded.status_word, sw::kOk);
    EXPECT_EQ(decoded.command.ins, frame.ins);
    EXPECT_EQ(decoded.command.p1, frame.p1);
    EXPECT_EQ(decoded.command.p2, frame.p2);
    EXPECT_EQ(decoded.command.data, frame.data);
    EXPECT_EQ(decoded.command.le, frame.le);
  }
}

TEST(DecodeCommandTest, MalformedLengthsAreWrongLength) {
  EXPECT_EQ(DecodeCommand("").status_word, sw::kWrongLength);
  EXPECT_EQ(DecodeCommand(Bytes({0x80, 0x50, 0})).status_word, sw::kWrongLength);
  // Lc says 3, 2 bytes follow (truncated).
  EXPECT_EQ(DecodeCommand(Bytes({0x80, 0x52, 0, 0, 3, 'a', 'b'})).status_word, sw::kWrongLength);
  // Lc says 1, 3 bytes follow (neither case 3 nor case 4).
  EXPECT_EQ(DecodeCommand(Bytes({0x80, 0x52, 0, 0, 1, 'a', 'b', 'c'})).status_word,
            sw::kWrongLength);
  // Lc = 0 followed by data: an extended length, not supported.
  EXPECT_EQ(DecodeCommand(Bytes({0x80, 0x52, 0, 0, 0, 1, 0})).status_word, sw::kWrongLength);
  // Longer than any short APDU.
  std::string huge = Bytes({0x80, 0x52, 0, 0, 0xFF});
  huge.append(257, 'z');
  EXPECT_EQ(DecodeCommand(huge).status_word, sw::kWrongLength);
}

TEST(DecodeCommandTest, AnotherClassIsRefused) {
  EXPECT_EQ(DecodeCommand(Bytes({0x00, 0x50, 0, 0})).status_word, sw::kClaNotSupported);
}

TEST(ResponseTest, RoundTripsAndRefusesTooShort) {
  const std::string bytes = *EncodeResponse({"data", sw::kOtherSession});
  EXPECT_EQ(bytes, Bytes({'d', 'a', 't', 'a', 0x9D, 0x08}));
  const ResponseFrame response = *DecodeResponse(bytes);
  EXPECT_EQ(response.data, "data");
  EXPECT_EQ(response.status_word, sw::kOtherSession);
  EXPECT_EQ(ReasonOf(DecodeResponse("\x90").status()), "MALFORMED_FRAME");
}

TEST(StatusWordNameTest, NamesKnownWordsAndPinTries) {
  EXPECT_EQ(StatusWordName(sw::kOk), "OK");
  EXPECT_EQ(StatusWordName(0x63C2), "WRONG_PIN(2)");
  EXPECT_EQ(StatusWordName(sw::kOtherSession), "OTHER_SESSION");
  EXPECT_EQ(StatusWordName(0x1234), "SW_1234");
}

}  // namespace
}  // namespace argentpoche::card
