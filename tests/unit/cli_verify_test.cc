// `drover verify` end to end through the CLI's world with the recording fake transport: the
// image pinned through the world's registry seam, every selected host asked for its bots'
// status, the stragglers re-asked, and the exit codes 0, 5 and 6.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_cli_world.h"

namespace drover::testing {
namespace {

std::vector<core::Host> two_hosts_and_staging() {
  return {{"host-1", std::nullopt, {101, 102}, core::HostGroup::production},
          {"host-2", std::nullopt, {201}, core::HostGroup::production},
          {"staging-1", std::nullopt, {901}, core::HostGroup::staging}};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliVerify, EveryBotOnThePinnedImageAndLoggedInExitsZero) {
  FakeCliWorld world(two_hosts_and_staging());
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto before = world.transport.commands_ran().size();

  EXPECT_EQ(world.run({"verify", "all", "v2"}), 0) << world.terminal.err();
  EXPECT_EQ(world.images_pinned(),
            (std::vector<std::string>{"registry.test/tradebot:v2", "registry.test/tradebot:v2"}));
  const auto ran = world.transport.commands_ran();
  ASSERT_EQ(ran.size(), before + 2) << "one status per production host, nothing else";
  for (auto i = before; i < ran.size(); ++i) {
    EXPECT_EQ(ran[i].args.front(), "status");
    auto expect = std::find(ran[i].args.begin(), ran[i].args.end(), "--expect-image");
    ASSERT_NE(expect, ran[i].args.end());
    EXPECT_EQ(*(expect + 1), FakeCliWorld::pinned("v2"));
  }
  EXPECT_TRUE(contains(world.terminal.out(),
                       "verifying 3 bot(s) on 2 host(s) against " + FakeCliWorld::pinned("v2")))
      << world.terminal.out();
}

TEST(CliVerify, BotsOnAnotherImageAreStaleAndExitFive) {
  FakeCliWorld world(two_hosts_and_staging());
  EXPECT_EQ(world.run({"verify", "all", "v2"}), 5);
  EXPECT_TRUE(contains(world.terminal.out(), "101")) << world.terminal.out();
  EXPECT_EQ(world.run({"verify", "staging", "v1"}), 0) << "staging runs v1";
  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty()) << "verify never swaps";
}

TEST(CliVerify, AHostThatDoesNotAnswerLeavesItsBotsUnansweredAndExitsFive) {
  FakeCliWorld world(two_hosts_and_staging());
  world.transport.script("host-2").reach = core::TransportStatus::unreachable;
  EXPECT_EQ(world.run({"verify", "all", "v1"}), 5);
  EXPECT_TRUE(contains(world.terminal.out(), "host host-2 did not answer")) << world.terminal.out();
}

TEST(CliVerify, AHostAnsweringForFewerBotsLeavesTheRestUnansweredAndKeepsTheOthersOrder) {
  // Each host's statuses go to their place in one vector; a host with fewer takes the other
  // path, which must keep every answered bot and the hosts' order.
  FakeCliWorld world({{"host-1", std::nullopt, {101, 102, 103}, core::HostGroup::production},
                      {"host-2", std::nullopt, {201, 202}, core::HostGroup::production}});
  world.transport.script("host-1").status_leaves_out = 1;
  EXPECT_EQ(world.run({"verify", "all", "v1", "--json"}), 5) << world.terminal.out();
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, R"("on_version":[101,102,201,202])")) << out;
  EXPECT_TRUE(contains(out, R"("unanswered":[103])")) << out;
  EXPECT_TRUE(contains(out, R"("total":5)")) << out;
}

TEST(CliVerify, StragglersStillNotLoggedInAfterTheRetryExitSix) {
  FakeCliWorld world(two_hosts_and_staging());
  world.transport.script("host-1").login = core::LoginState::not_logged_in;
  EXPECT_EQ(world.run({"verify", "all", "v1"}), 6);
  auto asked = world.transport.hosts_that_ran("status");
  // Both hosts, then the straggler's host alone: at each look of the wait (every 5 s; none
  // found it logged in) and once more when the wait ran out.
  ASSERT_EQ(asked.size(), 2u + 12u);
  for (std::size_t i = 2; i < asked.size(); ++i) EXPECT_EQ(asked[i], "host-1") << i;
  asked.resize(2);
  std::sort(asked.begin(), asked.end());
  EXPECT_EQ(asked, (std::vector<std::string>{"host-1", "host-2"}));
  EXPECT_GE(world.clock.now().time_since_epoch(), std::chrono::seconds(60))
      << "the guide's default wait passed";
}

TEST(CliVerify, ASpeedIsAUsageErrorExitingTwo) {
  FakeCliWorld world(two_hosts_and_staging());
  EXPECT_EQ(world.run({"verify", "all", "routine", "v2"}), 2);
  EXPECT_TRUE(
      world.terminal.err().starts_with("drover: error: verify arguments: verify takes "
                                       "no speed"))
      << world.terminal.err();
  EXPECT_TRUE(world.transport.commands_ran().empty());
}

}  // namespace
}  // namespace drover::testing
