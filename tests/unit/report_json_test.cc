// parse_json_document (transport/report_json.h) against nlohmann's own parser, which it stands in
// for: the same value, of the same types, for reports and for the corners of JSON; refusal of
// the same texts.
#include "transport/report_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace drover::transport {
namespace {

using nlohmann::json;

// Equal as values, and of the same type at every node (json's == takes 1u and 1 as equal).
void expect_same_types(const json& got, const json& want, const std::string& where) {
  ASSERT_EQ(got.type(), want.type()) << where;
  if (want.is_object()) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (const auto& [key, value] : want.items()) {
      ASSERT_TRUE(got.contains(key)) << where << "/" << key;
      expect_same_types(got.at(key), value, where + "/" + key);
    }
  } else if (want.is_array()) {
    ASSERT_EQ(got.size(), want.size()) << where;
    for (std::size_t i = 0; i < want.size(); ++i) {
      expect_same_types(got.at(i), want.at(i), where + "/" + std::to_string(i));
    }
  } else {
    EXPECT_EQ(got, want) << where;
  }
}

void expect_like_nlohmann(const std::string& text) {
  const json want = json::parse(text, nullptr, false);
  const json got = parse_json_document(text);
  ASSERT_EQ(got.is_discarded(), want.is_discarded()) << text;
  if (!want.is_discarded()) expect_same_types(got, want, text.substr(0, 60));
}

TEST(ReportJson, AnAgentsReportReadsAsNlohmannReadsIt) {
  expect_like_nlohmann(
      R"({"command":"status","host":"h-1","ok":true,"bots":[{"bot":539,"present":true,)"
      R"("running":true,"state":"running","exit_code":0,"image":"r/bot@sha256:ab","health":)"
      R"("healthy","restart_count":0,"repo_digests":["r/bot@sha256:ab"],"login":"logged_in",)"
      R"("login_detail":null,"timings_ms":{"pull":1520,"stop":-1},"free":1.5e9,"error":null}],)"
      R"("error":null})");
}

TEST(ReportJson, NumbersStringsAndRepeatedKeysKeepNlohmannsTypesAndChoices) {
  for (const std::string text : {
           R"({"a":0,"c":-7,"d":18446744073709551615,"e":9223372036854775808,"f":-1.25})",
           R"({"big":184467440737095516150,"tiny":1e-400,"huge":1e400})",
           R"({"k":1,"k":"second","k":[true,false,null]})",
           R"({"s":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"})",
           R"(  {"padded": []}  )",
           R"([1,2,{"x":{}}])",
           R"("text")",
           "42",
           "null",
       }) {
    expect_like_nlohmann(text);
  }
}

TEST(ReportJson, MinusZeroIsTheOneIntegerWhoseTypeDiffersButNotItsValue) {
  const json got = parse_json_document(R"({"z":-0})");
  const json want = json::parse(R"({"z":-0})");
  EXPECT_EQ(got, want);
  EXPECT_EQ(got.dump(), want.dump());
  EXPECT_TRUE(got["z"].is_number_unsigned());  // nlohmann: a signed integer 0
}

TEST(ReportJson, TextsThatAreNotOneJsonDocumentAreRefusedAsNlohmannRefusesThem) {
  for (const std::string& text : {
           std::string(),
           std::string("{"),
           std::string(R"({"a":1} {"b":2})"),
           std::string(R"({"a":1,})"),
           std::string(R"({'a':1})"),
           std::string("{\"a\":\"\xff\"}"),
           std::string(R"({"a":01})"),
           std::string(R"({"a":NaN})"),
           std::string("not json"),
       }) {
    expect_like_nlohmann(text);
  }
}

TEST(ReportJson, ADocumentDeeperThanSimdjsonTakesIsStillRead) {
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "[";
  for (int i = 0; i < 2000; ++i) deep += "]";
  expect_like_nlohmann(deep);
  EXPECT_FALSE(parse_json_document(deep).is_discarded());
}

TEST(ReportJson, ALargeDocumentIsReadAndTheNextSmallOneToo) {
  // Past the size whose buffers the parser keeps: it is let go after the large one.
  std::string large = R"({"bots":[)";
  for (int i = 0; i < 4000; ++i) {
    large += (i ? "," : "") + std::string(R"({"bot":)") + std::to_string(1000 + i) +
             R"(,"outcome":"swapped","repo_digest":"r/bot@sha256:ab"})";
  }
  large += "]}";
  ASSERT_GT(large.size(), std::size_t{64} << 10);
  expect_like_nlohmann(large);
  expect_like_nlohmann(R"({"command":"version","ok":true})");
  expect_like_nlohmann(large);
}

TEST(ReportJson, IsJsonObjectSaysWhatNlohmannSays) {
  std::string deep_object = R"({"a":)";
  for (int i = 0; i < 2000; ++i) deep_object += "[";
  for (int i = 0; i < 2000; ++i) deep_object += "]";
  deep_object += "}";
  for (const std::string& text :
       {std::string(R"({"command":"swap","ok":true})"), std::string("{}"), std::string("[]"),
        std::string(R"("text")"), std::string("42"), std::string(""), std::string("{"),
        std::string(R"({"a":1} {"b":2})"), std::string("{\"a\":\"\xff\"}"), deep_object}) {
    EXPECT_EQ(is_json_object(text),
              nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_object())
        << text.substr(0, 40);
  }
}

}  // namespace
}  // namespace drover::transport
