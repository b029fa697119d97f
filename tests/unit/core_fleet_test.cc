#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/fleet.h"
#include "core/input_error.h"
#include "core/target.h"
#include "core_test_fleets.h"

namespace drover::core {
namespace {

std::string refusal(const std::string& name, std::vector<Host> hosts) {
  try {
    Fleet fleet(name, std::move(hosts));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(CoreFleet, CountsAndFindsBots) {
  const auto fleet = testfleets::guide_fleet();
  EXPECT_EQ(fleet.hosts().size(), 179u);
  EXPECT_EQ(fleet.bot_count(), 537u);
  EXPECT_EQ(fleet.bot_count(HostGroup::production), 534u);
  auto hosts_in = [&](HostGroup group) {
    return std::count_if(fleet.hosts().begin(), fleet.hosts().end(),
                         [&](const Host& host) { return host.group == group; });
  };
  EXPECT_EQ(hosts_in(HostGroup::production), 178);
  EXPECT_EQ(hosts_in(HostGroup::staging), 1);
  ASSERT_NE(fleet.find_host_of(1004), nullptr);
  EXPECT_EQ(fleet.find_host_of(1004)->name, "host-2");
  EXPECT_EQ(fleet.find_host_of(5), nullptr);
  EXPECT_EQ(fleet.require_host_of(899).name, "staging-1");
}

TEST(CoreFleet, UnknownBotSaysWhichIdsExist) {
  const auto fleet = testfleets::small_fleet();
  try {
    fleet.parse_fleet_bot_id("12345");
    FAIL();
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("bot 12345 is not in fleet tradebot"), std::string::npos) << message;
    EXPECT_NE(message.find("9 bots have ids from 539 to 900"), std::string::npos) << message;
  }
  EXPECT_EQ(fleet.parse_fleet_bot_id("540"), 540);
  EXPECT_THROW(fleet.parse_fleet_bot_id("54o"), InputError);
}

TEST(CoreFleet, DuplicateBotAcrossHostsIsAConfigError) {
  const auto message = refusal("f", {{"a", std::nullopt, {1, 2}, HostGroup::production},
                                     {"b", std::nullopt, {3, 2}, HostGroup::production}});
  EXPECT_NE(message.find("fleet: hosts[1] (b)"), std::string::npos) << message;
  EXPECT_NE(message.find("lists bot 2, which host a also lists"), std::string::npos) << message;
}

TEST(CoreFleet, DuplicateBotOnOneHostIsAConfigError) {
  const auto message = refusal("f", {{"a", std::nullopt, {1, 1}, HostGroup::production}});
  EXPECT_NE(message.find("lists bot 1 twice"), std::string::npos) << message;
}

TEST(CoreFleet, CheckHostSaysWhatAOneHostFleetSays) {
  // drover.toml's loader checks each host with check_host instead of building a fleet of one:
  // the verdict and the message must be the fleet's, for good and bad hosts alike, for a few
  // bots (compared pairwise) and for many (through a set).
  std::vector<BotId> many(100);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<BotId>(i + 1);
  auto many_twice = many;
  many_twice[70] = 40;
  const std::vector<Host> hosts = {
      {"a", std::nullopt, {1, 2, 3}, HostGroup::production},
      {"a", std::nullopt, {1, 2, 1}, HostGroup::production},
      {"a", std::nullopt, {3, 2, 2, 3}, HostGroup::staging},
      {"a", std::nullopt, many, HostGroup::production},
      {"a", std::nullopt, many_twice, HostGroup::production},
      {"", std::nullopt, {1}, HostGroup::production},
      {"a b", std::nullopt, {1}, HostGroup::production},
      {"a b", std::string("10.0.0.1"), {1}, HostGroup::production},
      {"a\tb", std::string("10.0.0.1"), {1}, HostGroup::production},
      {std::string(300, 'x'), std::string("10.0.0.1"), {1}, HostGroup::production},
      {"a", std::nullopt, {}, HostGroup::production},
      {"a", std::nullopt, {0}, HostGroup::production},
      {"a", std::string("x;reboot"), {1}, HostGroup::production},
      {"a", std::string(""), {1}, HostGroup::production},
      {"a", std::string("ops@10.0.0.1:22"), {1}, HostGroup::production},
  };
  for (const auto& host : hosts) {
    std::string checked;
    try {
      check_host(0, host);
    } catch (const InputError& e) {
      checked = e.what();
    }
    EXPECT_EQ(checked, refusal("check", {host})) << host.name;
  }
  EXPECT_NE(refusal("check", {hosts[4]}).find("lists bot 40 twice"), std::string::npos);
}

TEST(CoreFleet, RefusesMalformedHosts) {
  EXPECT_NE(refusal("", {{"a", std::nullopt, {1}, HostGroup::production}}), "");
  EXPECT_NE(refusal("f", {}).find("has no hosts"), std::string::npos);
  EXPECT_NE(refusal("f", {{"", std::nullopt, {1}, HostGroup::production}}).find("has no name"),
            std::string::npos);
  EXPECT_NE(refusal("f", {{"a b", std::nullopt, {1}, HostGroup::production}}), "");
  EXPECT_NE(refusal("f", {{"a", std::nullopt, {}, HostGroup::production}}).find("holds no bots"),
            std::string::npos);
  EXPECT_NE(refusal("f", {{"a", std::nullopt, {0}, HostGroup::production}}).find("out of range"),
            std::string::npos);
  EXPECT_NE(refusal("f", {{"a", std::string("x;reboot"), {1}, HostGroup::production}}), "");
  EXPECT_NE(refusal("f", {{"a", std::string(""), {1}, HostGroup::production}}), "");
  EXPECT_EQ(refusal("f", {{"a", std::string("ops@10.0.0.1:22"), {1}, HostGroup::production}}), "");
  EXPECT_NE(refusal("f", {{"a", std::nullopt, {1}, HostGroup::production},
                          {"a", std::nullopt, {2}, HostGroup::production}})
                .find("repeats a host name"),
            std::string::npos);
}

TEST(CoreFleet, FleetNamesAreLowerCaseDigitsDotDashUnderscore) {
  EXPECT_NO_THROW(check_fleet_name("tradebot"));
  EXPECT_NO_THROW(check_fleet_name("eu-west.prod_2"));
  EXPECT_NO_THROW(check_fleet_name(std::string(64, 'a')));
  for (const auto& bad :
       std::vector<std::string>{"", ".", "..", "Tradebot", "TradeBot", "a/b", "../etc", "a b",
                                "bot\n", "é", std::string(65, 'a')}) {
    EXPECT_THROW(check_fleet_name(bad), InputError) << bad;
    EXPECT_NE(refusal(bad, {{"a", std::nullopt, {1}, HostGroup::production}}), "") << bad;
  }
  EXPECT_NE(refusal("TradeBot", {{"a", std::nullopt, {1}, HostGroup::production}})
                .find("'TradeBot' is not a fleet name"),
            std::string::npos);
}

TEST(CoreFleet, ParsesGroups) {
  EXPECT_EQ(parse_host_group("staging"), HostGroup::staging);
  EXPECT_EQ(parse_host_group("production"), HostGroup::production);
  EXPECT_THROW(parse_host_group("prod"), InputError);
  EXPECT_EQ(to_string(HostGroup::staging), "staging");
}

TEST(CoreTarget, ParsesTargets) {
  EXPECT_EQ(parse_target_kind("staging"), TargetKind::staging);
  EXPECT_EQ(parse_target_kind("bot"), TargetKind::bot);
  EXPECT_EQ(parse_target_kind("all"), TargetKind::all);
  for (const char* bad : {"", "ALL", "prod", "bots", "all;"}) {
    try {
      parse_target_kind(bad);
      FAIL() << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("use staging, bot <ID> or all"), std::string::npos);
    }
  }
}

TEST(CoreTarget, StagingSelectsStagingHosts) {
  const auto selection = select_hosts(testfleets::guide_fleet(), Target::staging());
  ASSERT_EQ(selection.hosts.size(), 1u);
  EXPECT_EQ(selection.hosts[0].name, "staging-1");
  EXPECT_EQ(selection.hosts[0].address, std::optional<std::string>("10.0.0.9"));
  EXPECT_EQ(selection.bots(), (std::vector<BotId>{898, 899, 900}));
  EXPECT_EQ(describe_target(selection), "staging bots 898/899/900");
}

TEST(CoreTarget, BotSelectsOnlyThatBotOnItsHost) {
  const auto selection = select_hosts(testfleets::small_fleet(), Target::single_bot(540));
  ASSERT_EQ(selection.hosts.size(), 1u);
  EXPECT_EQ(selection.hosts[0].name, "host-1");
  EXPECT_EQ(selection.hosts[0].bots, (std::vector<BotId>{540}));
  EXPECT_EQ(selection.bot_count(), 1u);
  EXPECT_EQ(describe_target(selection), "bot 540 on host-1");
  EXPECT_THROW(select_hosts(testfleets::small_fleet(), Target::single_bot(7)), InputError);
  EXPECT_THROW(select_hosts(testfleets::small_fleet(), Target{TargetKind::bot, std::nullopt}),
               InputError);
}

TEST(CoreTarget, AllSelectsEveryProductionHostInOrder) {
  const auto selection = select_hosts(testfleets::guide_fleet(), Target::all());
  EXPECT_EQ(selection.hosts.size(), 178u);
  EXPECT_EQ(selection.bot_count(), 534u);
  EXPECT_EQ(selection.hosts.front().name, "host-1");
  EXPECT_EQ(selection.hosts.back().name, "host-178");
  EXPECT_EQ(selection.host_names().size(), 178u);
  EXPECT_EQ(describe_target(selection), "ALL production bots");
}

TEST(CoreTarget, EmptyGroupIsRefusedWithTheFix) {
  const Fleet only_production("f", {{"a", std::nullopt, {1}, HostGroup::production}});
  try {
    select_hosts(only_production, Target::staging());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("fleet f has no staging hosts"), std::string::npos);
    EXPECT_NE(e.fix().find("group = \"staging\""), std::string::npos);
  }
  const Fleet only_staging("f", {{"a", std::nullopt, {1}, HostGroup::staging}});
  EXPECT_THROW(select_hosts(only_staging, Target::all()), InputError);
}

}  // namespace
}  // namespace drover::core
