// `drover history`, `show` and `unlock`, and a drover.toml refused at load, end to end through
// the CLI's world (support/fake_cli_world.h).
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/lock/deploy_lock.h"
#include "support/fake_cli_world.h"

namespace drover::testing {
namespace {

const std::vector<core::Host> kHosts{
    {"host-1", std::nullopt, {101, 102}, core::HostGroup::production},
    {"host-2", std::nullopt, {201}, core::HostGroup::production}};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliHistory, ListsTheDeploysAndShowTellsOneOfThem) {
  FakeCliWorld world(kHosts);
  EXPECT_EQ(world.run({"history"}), 0);
  EXPECT_TRUE(contains(world.terminal.out(), "no deploys recorded yet for fleet unit"));

  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto deploys = world.journaled_deploys();
  ASSERT_EQ(deploys.size(), 1u);
  EXPECT_EQ(world.run({"history", "--limit", "5"}), 0);
  const auto history = world.terminal.out();
  // The table shows the id's first 8 characters, and show takes them (git-style).
  const auto short_id = deploys[0].substr(0, 8);
  EXPECT_TRUE(contains(history, short_id + "  ")) << history;
  EXPECT_TRUE(contains(history, "tester@ops-1")) << history;

  EXPECT_EQ(world.run({"show", deploys[0]}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out(), FakeCliWorld::pinned("v2")));
  const auto before = world.terminal.out().size();
  EXPECT_EQ(world.run({"show", short_id}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out().substr(before), "deploy " + deploys[0]));
  EXPECT_EQ(world.run({"show", "6ca32b16-367e-4372-8a33-000000000000"}), 2);
  EXPECT_TRUE(contains(world.terminal.err(), "drover history")) << world.terminal.err();
  EXPECT_EQ(world.run({"show", "6ca3"}), 2) << "fewer than 8 characters name no deploy";
}

TEST(CliViews, HostNamesWithSpacesAndOtherCharactersShowInEveryView) {
  // EC2 Name tags as fleet discovery takes them: the address is what is reached.
  const std::vector<core::Host> hosts{
      {"web 1", "10.0.0.1", {101}, core::HostGroup::production},
      {"Trade Bot (eu) #2", "10.0.0.2", {201}, core::HostGroup::production}};
  FakeCliWorld world(hosts);
  const auto shows_both = [&](const std::vector<std::string>& args) {
    const int code = world.run(args);
    const auto out = world.terminal.out();
    EXPECT_TRUE(contains(out, "web 1")) << args[0] << ": " << out;
    EXPECT_TRUE(contains(out, "Trade Bot (eu) #2")) << args[0] << ": " << out;
    return code;
  };
  EXPECT_EQ(shows_both({"inventory"}), 0) << world.terminal.err();
  EXPECT_EQ(shows_both({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  EXPECT_EQ(world.transport.hosts_that_ran("swap").size(), 2u);
  ASSERT_EQ(world.journaled_deploys().size(), 1u);
  EXPECT_EQ(shows_both({"show", world.journaled_deploys()[0]}), 0) << world.terminal.err();
  EXPECT_EQ(world.run({"history"}), 0) << world.terminal.err();
  EXPECT_EQ(shows_both({"verify", "all", "v2"}), 0) << world.terminal.err();
  EXPECT_EQ(shows_both({"drift"}), 0) << world.terminal.err();
}

TEST(CliHelp, ShowsTheGuidesExamplesAndEveryExitCodeOnItsOwnLine) {
  FakeCliWorld world(kHosts);
  EXPECT_EQ(world.run({"--help"}), 0);
  const auto help = world.terminal.out();
  for (const char* example :
       {"drover deploy staging ", "drover deploy bot 539 ", "drover deploy all routine ",
        "drover deploy all fast ", "drover deploy all immediate -y "}) {
    EXPECT_TRUE(contains(help, "\n  " + std::string(example))) << example << "\n" << help;
  }
  for (int code = 0; code <= 9; ++code) {
    EXPECT_TRUE(contains(help, "\n  " + std::to_string(code) + "  ")) << code << "\n" << help;
  }
  EXPECT_FALSE(contains(help, "Exit codes: 0")) << "one line per exit code, not a paragraph";
}

TEST(CliUnlock, BreaksAStaleLockButALiveOneOnlyWithForce) {
  FakeCliWorld world(kHosts);
  EXPECT_EQ(world.run({"unlock"}), 0);
  EXPECT_TRUE(contains(world.terminal.out(), "fleet unit was not locked"));

  std::filesystem::create_directories(world.fleet_state());
  const auto lock_file = world.fleet_state() / "lock";
  auto dead = world.lock_environment;
  dead.pid = 999;
  world.lock_environment.pid_alive = [](pid_t pid) { return pid != 999; };
  auto stale = cli::DeployLock::acquire(lock_file, "unit", "6ca32b16-367e-4372-8a33-6dd9442ed2c3",
                                        "x", dead);
  EXPECT_EQ(world.run({"unlock"}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out(),
                       "broke the lock of fleet unit, held by tester@ops-1 "
                       "(pid 999"))
      << world.terminal.out();
  EXPECT_FALSE(std::filesystem::exists(lock_file));

  auto alive = world.lock_environment;
  alive.pid = 1000;
  auto live = cli::DeployLock::acquire(lock_file, "unit", "6ca32b16-367e-4372-8a33-6dd9442ed2c3",
                                       "x", alive);
  EXPECT_EQ(world.run({"unlock"}), 7);
  EXPECT_TRUE(contains(world.terminal.err(), "--force")) << world.terminal.err();
  EXPECT_TRUE(std::filesystem::exists(lock_file));
  EXPECT_EQ(world.run({"unlock", "--force"}), 0);
  EXPECT_FALSE(std::filesystem::exists(lock_file));
}

// The fleet name names the state directory: a name that could point elsewhere is refused when
// drover.toml is loaded, at its line, and nothing is created anywhere.
TEST(CliConfig, ABadFleetNameIsRefusedAtLoadAndCreatesNothing) {
  FakeCliWorld world(kHosts);
  for (const std::string name : {"..", "TradeBot"}) {
    world.write_config("[fleet]\nname = \"" + name +
                       "\"\nimage = \"registry.test/tradebot\"\n[[hosts]]\nname = \"host-1\"\n"
                       "bots = [101]\n");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"history"}, {"unlock"}, {"deploy", "all", "routine", "v2", "-y"}}) {
      EXPECT_EQ(world.run(args), 2) << name << " " << args[0];
    }
    EXPECT_TRUE(contains(world.terminal.err(), world.config_file().string() + ":2: fleet.name: '" +
                                                   name + "' is not a fleet name"))
        << world.terminal.err();
  }
  EXPECT_FALSE(std::filesystem::exists(world.state_root())) << "nothing created for a refused name";
  EXPECT_TRUE(world.transport.commands_ran().empty());
}

}  // namespace
}  // namespace drover::testing
