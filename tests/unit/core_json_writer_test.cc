#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/json_writer.h"

namespace drover::core {
namespace {

using nlohmann::json;

std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Strings that need nlohmann's escaping, and ones that do not.
const std::vector<std::string> kTexts = {
    "",
    "plain text, 0-9 ~",
    "a \"quoted\" word and a back\\slash",
    "tab\tnewline\ncarriage\rbell\x07 nul" + std::string(1, '\0') + " del\x7f",
    "caf\xc3\xa9 \xe2\x9c\x93",   // UTF-8
    "cut \xc3 and \xff bytes",    // invalid UTF-8: replaced, as the journal always did
    "/slash </script> {braces}",  // written as they are
};

TEST(JsonWriter, WritesEachStringByteForByteAsNlohmannDumpsIt) {
  for (const auto& text : kTexts) {
    JsonWriter out;
    out.string(text);
    EXPECT_EQ(out.text(), dumped(json(text))) << text;
  }
}

TEST(JsonWriter, WritesNestedObjectsAndArraysAsNlohmannDumpsThem) {
  JsonWriter out;
  out.begin_object();
  out.key("a").begin_array();
  for (const auto& text : kTexts) out.string(text);
  out.begin_array().end_array().begin_object().end_object().null();
  out.end_array();
  out.key("b").integer(std::numeric_limits<std::int64_t>::min());
  out.key("c").integer(std::numeric_limits<std::int64_t>::max());
  out.key("d").nullable_string("");
  out.key("e").nullable_string("x");
  out.key("f").begin_object().key("g").integer(0).key("h").integer(-7).end_object();
  out.end_object();

  json expected = {{"a", json::array()},
                   {"b", std::numeric_limits<std::int64_t>::min()},
                   {"c", std::numeric_limits<std::int64_t>::max()},
                   {"d", nullptr},
                   {"e", "x"},
                   {"f", {{"g", 0}, {"h", -7}}}};
  for (const auto& text : kTexts) expected["a"].push_back(text);
  expected["a"].push_back(json::array());
  expected["a"].push_back(json::object());
  expected["a"].push_back(nullptr);
  EXPECT_EQ(out.text(), dumped(expected));
}

TEST(JsonWriter, EscapesKeysAsNlohmannDoes) {
  JsonWriter out;
  out.begin_object().key("say \"hi\"\n").integer(1).end_object();
  EXPECT_EQ(out.text(), dumped(json{{"say \"hi\"\n", 1}}));
}

}  // namespace
}  // namespace drover::core
