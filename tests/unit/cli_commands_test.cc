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
  EXPECT_TRUE(contains(history, deploys[0])) << history;
  EXPECT_TRUE(contains(history, "tester@ops-1")) << history;

  EXPECT_EQ(world.run({"show", deploys[0]}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out(), FakeCliWorld::pinned("v2")));
  EXPECT_EQ(world.run({"show", "6ca32b16-367e-4372-8a33-000000000000"}), 2);
  EXPECT_TRUE(contains(world.terminal.err(), "drover history")) << world.terminal.err();
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
  for (int code = 0; code <= 8; ++code) {
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
