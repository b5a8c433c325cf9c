#include "cli/terms_file.h"

#include <string>

#include "cli/arguments.h"
#include "engine/status.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace argentpoche::cli {
namespace {

const std::string kExample =
    std::string(POCHE_SOURCE_DIR) + "/docs/examples/price_above_threshold.txtpb";

// The message of a usage error from ParseTerms, "" when the text parsed.
std::string ErrorOf(std::string_view text, TermsFormat format) {
  absl::StatusOr<v1::ContractTerms> terms = ParseTerms(text, format, "terms");
  if (terms.ok()) return "";
  EXPECT_TRUE(IsUsageError(terms.status()));
  EXPECT_EQ(ReasonOf(terms.status()), "MALFORMED_TERMS");
  return std::string(terms.status().message());
}

TEST(TermsFileTest, TheFormatIsChosenByTheExtension) {
  EXPECT_EQ(*TermsFormatOf("a/terms.json"), TermsFormat::kJson);
  for (const char* name : {"terms.txtpb", "terms.textproto", "terms.pb.txt"}) {
    EXPECT_EQ(*TermsFormatOf(name), TermsFormat::kText) << name;
  }
  const absl::StatusOr<TermsFormat> unknown = TermsFormatOf("terms.yaml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(ReasonOf(unknown.status()), "UNKNOWN_TERMS_FORMAT");
}

TEST(TermsFileTest, TheExampleReadsAsConditionalTerms) {
  absl::StatusOr<v1::ContractTerms> terms = ReadTermsFile(kExample);
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_TRUE(terms->has_conditional());
  EXPECT_EQ(terms->conditional().locked_total().minor_units(), 100'000);
  EXPECT_EQ(terms->conditional().branches_size(), 2);
  EXPECT_EQ(terms->conditional().value_sources(0).oracle_party_ids(1), "oracle-b");
}

TEST(TermsFileTest, TheSameTermsReadFromJson) {
  absl::StatusOr<v1::ContractTerms> terms = ReadTermsFile(kExample);
  ASSERT_TRUE(terms.ok());
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(*terms, &json, options).ok());
  absl::StatusOr<v1::ContractTerms> again = ParseTerms(json, TermsFormat::kJson, "terms.json");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), terms->SerializeAsString());
}

TEST(TermsFileTest, TextFormatMistakesSayTheLineAndColumn) {
  EXPECT_EQ(ErrorOf("conditional {\n  locked_total { currency: \"USD\" }\n  hard_deadline: 5\n}",
                    TermsFormat::kText),
            "terms:3:16: Message type \"argentpoche.v1.ConditionalTerms\" has no field named "
            "\"hard_deadline\".");
  EXPECT_NE(ErrorOf("conditional {\n  locked_total {\n", TermsFormat::kText).find("terms:3:"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("conditional {\n  fund_by_unix_ms: \"soon\"\n}", TermsFormat::kText).find("terms:2:"),
      std::string::npos);
}

TEST(TermsFileTest, JsonMistakesSayTheLine) {
  EXPECT_EQ(ErrorOf("{\n  \"conditional\": {\n    \"lockedTotal\": {\"currency\": \"USD\"},\n"
                    "    \"hardDeadline\": 5\n  }\n}",
                    TermsFormat::kJson)
                .substr(0, 10),
            "terms:4:5:");
  EXPECT_EQ(ErrorOf("{\n  \"conditional\": {\n    \"description\": \"a\"\n    \"x\": 1\n}",
                    TermsFormat::kJson),
            "terms:4:5: expected ',' or '}'");
  EXPECT_EQ(
      ErrorOf("{\n  \"conditional\": {\n    \"fundByUnixMs\": \"soon\"\n  }\n}", TermsFormat::kJson)
          .substr(0, 11),
      "terms:3:21:");
  EXPECT_EQ(ErrorOf("{\"conditional\": {}} x", TermsFormat::kJson),
            "terms:1:21: unexpected text after the end of the terms");
}

TEST(TermsFileTest, TermsOfNoTemplateAreRefused) {
  EXPECT_NE(ErrorOf("", TermsFormat::kText).find("choose no template"), std::string::npos);
  EXPECT_NE(ErrorOf("{}", TermsFormat::kJson).find("choose no template"), std::string::npos);
}

TEST(TermsFileTest, AFileThatCannotBeReadIsAUsageError) {
  const absl::StatusOr<v1::ContractTerms> terms = ReadTermsFile("/nonexistent/terms.json");
  ASSERT_FALSE(terms.ok());
  EXPECT_TRUE(IsUsageError(terms.status()));
  EXPECT_EQ(ReasonOf(terms.status()), "TERMS_FILE");
}

}  // namespace
}  // namespace argentpoche::cli
