#include <gtest/gtest.h>

#include <string>

#include "core/bot_id.h"
#include "core/input_error.h"

namespace drover::core {
namespace {

std::string refusal(const std::string& text) {
  try {
    parse_bot_id(text);
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "bot id");
    EXPECT_FALSE(e.fix().empty());
    return e.what();
  }
  return "";
}

TEST(CoreBotId, ParsesDecimalIds) {
  EXPECT_EQ(parse_bot_id("539"), 539);
  EXPECT_EQ(parse_bot_id("1"), 1);
  EXPECT_EQ(parse_bot_id("999999999"), kMaxBotId);
}

TEST(CoreBotId, RefusesAnythingButDigits) {
  for (const char* bad :
       {"+539", "-539", " 539", "539 ", "53a9", "0x21", "5.39", "539\n", "bot539", "５３９"}) {
    EXPECT_NE(refusal(bad).find("is not a number"), std::string::npos) << bad;
  }
}

TEST(CoreBotId, ShowsControlCharactersVisibly) {
  const auto message = refusal("539\n");
  EXPECT_NE(message.find("'539\\n'"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(CoreBotId, RefusesEmptyLeadingZerosAndOutOfRange) {
  EXPECT_NE(refusal("").find("is empty"), std::string::npos);
  const auto zeros = refusal("0539");
  EXPECT_NE(zeros.find("leading zeros"), std::string::npos) << zeros;
  EXPECT_NE(zeros.find("539"), std::string::npos) << zeros;
  EXPECT_NE(refusal("0").find("out of range"), std::string::npos);
  EXPECT_NE(refusal("000").find("out of range"), std::string::npos);
  EXPECT_NE(refusal("1000000000").find("out of range"), std::string::npos);
  EXPECT_NE(refusal("99999999999999999999999").find("out of range"), std::string::npos);
}

TEST(CoreBotId, NamesAndListsLikeTheGuide) {
  EXPECT_EQ(bot_name(512), "bot512");
  // The guide's verification example lists "bot512 bot516 bot517 bot603 bot77 bot89".
  EXPECT_EQ(bot_list({89, 77, 603, 517, 516, 512}), "bot512 bot516 bot517 bot603 bot77 bot89");
  EXPECT_EQ(bot_list({}), "");
}

}  // namespace
}  // namespace drover::core
