// What drover quotes back of the operator's words, through the CLI's world: escaped (a newline
// or a terminal escape shows as \n, \x1b, never acts), cut when long, the word named the one
// that is wrong, and numeric options refused outside their range instead of silently taken.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/printable_text.h"
#include "support/fake_cli_world.h"

namespace drover::testing {
namespace {

const std::vector<core::Host> kHosts{
    {"host-1", std::nullopt, {101, 102}, core::HostGroup::production},
    {"staging-1", std::nullopt, {9901}, core::HostGroup::staging}};

struct Refusal {
  int code;
  std::string err;
};

Refusal refusal(const std::vector<std::string>& args) {
  FakeCliWorld world(kHosts);
  const int code = world.run(args);
  EXPECT_TRUE(world.transport.commands_ran().empty()) << "nothing ran for a refused command";
  EXPECT_TRUE(world.journaled_deploys().empty());
  return {code, world.terminal.err()};
}

void expect_one_line(const Refusal& r) {
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(r.err.starts_with("drover: error: ")) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "no raw escape: " << r.err;
}

TEST(OperatorText, PrintableCutsLongTextAndSaysHowLongItWas) {
  EXPECT_EQ(core::printable("a\nb", 10), "a\\nb");
  EXPECT_EQ(core::printable(std::string(100000, '7'), 8), "77777777… (100000 bytes)");
}

TEST(OperatorText, ControlCharactersInEveryDeployWordAreShownEscaped) {
  const std::string evil = "v2\n\x1b[31mRED";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"deploy", "all", "routine", "v2", evil, "-y"},  // a second image
           {"deploy", "all", evil, "v2", "-y"},             // not a speed
           {"deploy", "all", "fast", "routine", "-y"},      // a second speed
           {"show", evil},                                  // not a deploy id
           {"deploy", "--resume", evil, "-y"},
       }) {
    const auto r = refusal(args);
    expect_one_line(r);
  }
  const auto r = refusal({"deploy", "all", evil, "v2", "-y"});
  EXPECT_TRUE(r.err.find("'v2\\n\\x1b[31mRED' is not a speed") != std::string::npos) << r.err;
  const auto second = refusal({"deploy", "all", "routine", "v2", evil, "-y"});
  EXPECT_TRUE(second.err.find("'v2\\n\\x1b[31mRED' is a second image") != std::string::npos)
      << second.err;
  const auto id = refusal({"show", evil});
  EXPECT_TRUE(id.err.find("\"v2\\n\\x1b[31mRED\" is not a deploy id") != std::string::npos)
      << id.err;
}

TEST(OperatorText, AHundredThousandDigitBotIdIsCutInTheMessage) {
  const auto r = refusal({"deploy", "bot", std::string(100000, '9'), "v2", "-y"});
  expect_one_line(r);
  EXPECT_LT(r.err.size(), 300u) << r.err.substr(0, 400);
  EXPECT_TRUE(r.err.find("… (100000 bytes) is out of range") != std::string::npos) << r.err;
  const auto image = refusal({"deploy", "all", "routine", "tradebot:" + std::string(5000, 'x')});
  expect_one_line(image);
  EXPECT_LT(image.err.size(), 400u) << image.err.substr(0, 500);
}

TEST(OperatorText, TheBadWordIsTheOneNamed) {
  const auto bot = refusal({"deploy", "bot", "12a", "v2", "-y"});
  expect_one_line(bot);
  EXPECT_TRUE(bot.err.find("bot id: '12a' is not a number") != std::string::npos) << bot.err;
  const auto speed = refusal({"deploy", "all", "turbo", "v2", "-y"});
  EXPECT_TRUE(speed.err.find("'turbo' is not a speed") != std::string::npos) << speed.err;
}

TEST(OperatorText, NumericOptionsAreRangeChecked) {
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"deploy", "all", "v2", "-y", "--straggler-wait", "-5"},
            "--straggler-wait: -5 is out of range (give a whole number from 0 to 3600)"},
           {{"deploy", "all", "v2", "-y", "--straggler-wait", "2147483647"},
            "--straggler-wait: 2147483647 is out of range (give a whole number from 0 to 3600)"},
           {{"verify", "all", "--straggler-wait", "99999999999999999999999"},
            "--straggler-wait: 99999999999999999999999 is out of range"},
           {{"verify", "all", "--straggler-wait", "1.5"},
            "--straggler-wait: '1.5' is not a whole number (give a whole number from 0 to 3600)"},
           {{"history", "--limit", "-1"},
            "--limit: -1 is out of range (give a whole number from 1 to 100000)"},
           {{"history", "--limit", "0"}, "--limit: 0 is out of range"},
           {{"history", "--limit", "ten"}, "--limit: 'ten' is not a whole number"},
       }) {
    const auto r = refusal(args);
    expect_one_line(r);
    EXPECT_TRUE(r.err.starts_with("drover: error: " + message)) << r.err;
  }
}

TEST(OperatorText, NumericOptionsInRangeAreTaken) {
  FakeCliWorld world(kHosts);
  EXPECT_EQ(world.run({"deploy", "all", "v2", "-y", "--straggler-wait", "0"}), 0)
      << world.terminal.err();
  EXPECT_EQ(world.run({"history", "--limit", "100000"}), 0) << world.terminal.err();
}

}  // namespace
}  // namespace drover::testing
