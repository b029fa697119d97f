// `drover rollback` end to end through the CLI's world (support/fake_cli_world.h): the plan box
// with the digests it goes back to, the confirmation, the lock, the error halt, the journal,
// verification against each bot's own digest, the exit codes, --to, and what a second rollback
// does. The recording transport reports what each bot ran before, as the real agent does.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/lock/deploy_lock.h"
#include "support/fake_cli_world.h"
#include "support/numbered_fleet.h"

namespace drover::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// What one run printed: the terminal keeps everything, so each test notes where a run began.
class Output {
 public:
  explicit Output(const ScriptedTerminal& terminal)
      : terminal_(terminal), out_(terminal.out().size()), err_(terminal.err().size()) {}
  std::string out() const { return terminal_.out().substr(out_); }
  std::string err() const { return terminal_.err().substr(err_); }

 private:
  const ScriptedTerminal& terminal_;
  std::size_t out_;
  std::size_t err_;
};

// The swaps since call number `from`: host → its argv.
std::vector<RanCommand> swaps_since(const RecordingTransport& transport, std::size_t from) {
  std::vector<RanCommand> swaps;
  const auto ran = transport.commands_ran();
  for (auto i = from; i < ran.size(); ++i) {
    if (ran[i].args.front() == "swap") swaps.push_back(ran[i]);
  }
  return swaps;
}

std::string value_after(const std::vector<std::string>& args, const std::string& flag) {
  auto it = std::find(args.begin(), args.end(), flag);
  return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}

std::string short_id(const std::string& id) {
  return id.substr(0, 8);
}

TEST(CliRollback, PutsEveryBotBackOnTheDigestItRanBeforeTheDeployAndVerifiesIt) {
  FakeCliWorld world(fleet_of(3));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto deploy = world.journaled_deploys().at(0);
  const auto before = world.transport.commands_ran().size();

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << run.err();

  for (core::BotId bot : {101, 102, 201, 202, 301, 302}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v1")) << bot;
  }
  EXPECT_EQ(world.transport.image_of(9901), FakeCliWorld::pinned("v1")) << "staging untouched";
  const auto swaps = swaps_since(world.transport, before);
  ASSERT_EQ(swaps.size(), 3u);
  for (const auto& swap : swaps) {
    EXPECT_EQ(value_after(swap.args, "--image"), FakeCliWorld::pinned("v1")) << "by digest";
    EXPECT_EQ(value_after(swap.args, "--bot-image"), "") << "one digest per host";
  }
  EXPECT_TRUE(world.images_pinned().size() == 1u) << "a rollback asks no registry for a tag";
  const auto out = run.out();
  for (const auto& line : {std::string("=============== rollback plan ==============="),
                           "Back to       " + FakeCliWorld::pinned("v1") +
                               "  6 bots (undoing deploy " + short_id(deploy) + ")",
                           std::string("Hosts         3 (6 bots going back)"),
                           std::string("--- result: Success (3/3, 0 errors)"),
                           std::string("on deployed version : 6/6")}) {
    EXPECT_TRUE(contains(out, line)) << line << "\n" << out;
  }
  EXPECT_EQ(run.err(), "");
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock")) << "the lock is released";
  EXPECT_EQ(world.journaled_deploys().size(), 2u) << "the rollback has its own journal";
}

TEST(CliRollback, AFleetOnTwoVersionsGoesBackToBothAndOneHostGetsAnImagePerBot) {
  FakeCliWorld world(fleet_of(2));
  ASSERT_EQ(world.run({"deploy", "bot", "101", "routine", "v2", "-y"}), 0) << world.terminal.err();
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v3", "-y"}), 0) << world.terminal.err();
  const auto before = world.transport.commands_ran().size();

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << run.err();
  EXPECT_EQ(world.transport.image_of(101), FakeCliWorld::pinned("v2"));
  for (core::BotId bot : {102, 201, 202}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v1")) << bot;
  }
  for (const auto& ran : swaps_since(world.transport, before)) {
    if (ran.host != "host-1") continue;
    // host-1's two bots go to different digests in one agent call, pulled before any stop.
    EXPECT_EQ(value_after(ran.args, "--image"), FakeCliWorld::pinned("v2"));
    EXPECT_EQ(value_after(ran.args, "--bot-image"), "102=" + FakeCliWorld::pinned("v1"));
  }
  EXPECT_TRUE(contains(run.out(), FakeCliWorld::pinned("v1") + "  3 bots")) << run.out();
  EXPECT_TRUE(contains(run.out(), FakeCliWorld::pinned("v2") + "  1 bot")) << run.out();
  EXPECT_TRUE(contains(run.out(), "on deployed version : 4/4")) << "each against its own digest";
}

TEST(CliRollback, AfterABotOnlyDeployAFleetRollbackTouchesOnlyThatBot) {
  FakeCliWorld world(fleet_of(3));
  ASSERT_EQ(world.run({"deploy", "bot", "201", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto before = world.transport.commands_ran().size();

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << run.err();
  const auto swaps = swaps_since(world.transport, before);
  ASSERT_EQ(swaps.size(), 1u);
  EXPECT_EQ(swaps[0].host, "host-2");
  EXPECT_EQ(value_after(swaps[0].args, "--bots"), "201");
  EXPECT_EQ(world.transport.image_of(201), FakeCliWorld::pinned("v1"));
  EXPECT_TRUE(contains(run.out(), "Left alone    5 bots: no deploy recorded")) << run.out();
}

TEST(CliRollback, AfterAHaltedDeployOnlyTheSwappedBotsGoBack) {
  FakeCliWorld world(fleet_of(10), kOneAtATime);
  world.transport.script("host-2").swap_rolls_back = true;
  world.transport.script("host-4").swap_rolls_back = true;
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4) << world.terminal.err();
  const auto deploy = world.journaled_deploys().at(0);
  world.transport.script("host-2").swap_rolls_back = false;
  world.transport.script("host-4").swap_rolls_back = false;
  const auto before = world.transport.commands_ran().size();

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << run.err();
  std::vector<std::string> hosts;
  for (const auto& swap : swaps_since(world.transport, before)) hosts.push_back(swap.host);
  EXPECT_EQ(hosts, (std::vector<std::string>{"host-1", "host-3"}));
  EXPECT_TRUE(contains(run.out(), "Left alone    16 bots: their latest deploy " + short_id(deploy) +
                                      " did not change them"))
      << run.out();
}

TEST(CliRollback, ASecondRollbackDoesNotFlipFlopButRetriesWhatTheFirstLeft) {
  FakeCliWorld world(fleet_of(3));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  world.transport.script("host-3").swap_rolls_back = true;
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 5) << "host-3 failed: its bots stay on v2";
  const auto first = world.journaled_deploys();
  world.transport.script("host-3").swap_rolls_back = false;
  const auto before = world.transport.commands_ran().size();

  Output retry(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << retry.err();
  const auto swaps = swaps_since(world.transport, before);
  ASSERT_EQ(swaps.size(), 1u) << retry.out();
  EXPECT_EQ(swaps[0].host, "host-3");
  EXPECT_EQ(value_after(swaps[0].args, "--image"), FakeCliWorld::pinned("v1"));
  EXPECT_TRUE(contains(retry.out(), "Left alone    4 bots: already rolled back by")) << retry.out();

  // Everything is back now: a third rollback finds nothing to undo and touches nothing.
  const auto settled = world.transport.commands_ran().size();
  const auto journals = world.journaled_deploys().size();
  Output third(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << third.err();
  EXPECT_TRUE(swaps_since(world.transport, settled).empty());
  EXPECT_TRUE(contains(third.out(), "nothing to roll back")) << third.out();
  EXPECT_TRUE(contains(third.out(), "already rolled back by")) << third.out();
  EXPECT_EQ(world.journaled_deploys().size(), journals) << "no journal for nothing";
  for (core::BotId bot : {101, 102, 201, 202, 301, 302}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v1")) << bot;
  }
}

TEST(CliRollback, ToADeployGoesBackToWhatItInstalledOnItsOwnTarget) {
  FakeCliWorld world(fleet_of(2));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  const auto v2 = world.journaled_deploys().at(0);
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v3", "-y"}), 0) << world.terminal.err();
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v4", "-y"}), 0) << world.terminal.err();

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "--to", v2, "-y"}), 0) << run.err();
  for (core::BotId bot : {101, 102, 201, 202}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v2")) << bot;
  }
  EXPECT_TRUE(contains(run.out(), "4 bots (what " + short_id(v2) + " installed)")) << run.out();
  EXPECT_EQ(world.run({"rollback", "--to", "6ca32b16-367e-4372-8a33-000000000000", "-y"}), 2);
}

TEST(CliRollback, ABotWithNoRecordedDigestIsNamedAndSkipped) {
  FakeCliWorld world(fleet_of(2));
  world.transport.script("host-2").swap_answer = core::TransportStatus::timed_out;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 5);
  world.transport.script("host-2").swap_answer = core::TransportStatus::ok;

  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << run.err();
  EXPECT_TRUE(contains(run.out(), "Skipped       bot201: deploy")) << run.out();
  EXPECT_TRUE(contains(run.out(), "did not hear back from host-2 (timed_out)")) << run.out();
  EXPECT_TRUE(contains(run.out(), "bot202: deploy")) << "every skipped bot is named";
  EXPECT_EQ(world.transport.image_of(101), FakeCliWorld::pinned("v1"));
  EXPECT_EQ(world.transport.image_of(201), FakeCliWorld::pinned("v2")) << "never guessed";
}

TEST(CliRollback, ConfirmsOnceOnATerminalAndANoTouchesNothing) {
  FakeCliWorld world(fleet_of(3));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  world.terminal.set_interactive(true);
  world.terminal.will_answer("no");
  const auto before = world.transport.commands_ran().size();
  EXPECT_EQ(world.run({"rollback", "all", "routine"}), 3);
  EXPECT_TRUE(swaps_since(world.transport, before).empty());
  EXPECT_EQ(world.journaled_deploys().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock"));

  world.terminal.will_answer("yes");
  EXPECT_EQ(world.run({"rollback", "bot", "102", "routine"}), 0) << world.terminal.err();
  const auto prompts = world.terminal.prompts();
  EXPECT_EQ(prompts.back(), "Proceed? type yes to roll back bot102: ");
  EXPECT_EQ(world.transport.image_of(102), FakeCliWorld::pinned("v1"));
  EXPECT_EQ(world.transport.image_of(101), FakeCliWorld::pinned("v2"));

  world.terminal.set_interactive(false);
  EXPECT_EQ(world.run({"rollback", "all"}), 3) << "no terminal and no -y";
  EXPECT_TRUE(contains(world.terminal.err(), "pass -y")) << world.terminal.err();
}

TEST(CliRollback, TheErrorHaltLockAndBadWordsExitAsForADeploy) {
  FakeCliWorld world(fleet_of(10), kOneAtATime);
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  world.transport.script("host-1").swap_rolls_back = true;
  world.transport.script("host-2").swap_rolls_back = true;
  const auto before = world.transport.commands_ran().size();
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 4) << "halted at the threshold";
  EXPECT_EQ(swaps_since(world.transport, before).size(), 2u) << "nothing after the halt";
  world.transport.script("host-1").swap_rolls_back = false;
  world.transport.script("host-2").swap_rolls_back = false;

  std::filesystem::create_directories(world.fleet_state());
  auto other = world.lock_environment;
  other.self = {"alice", "ops-2"};
  {
    auto held = cli::DeployLock::acquire(world.fleet_state() / "lock", "unit",
                                         "6ca32b16-367e-4372-8a33-6dd9442ed2c3",
                                         "drover deploy all fast", other);
    EXPECT_EQ(world.run({"rollback", "all", "-y"}), 7);
  }
  const auto settled = world.transport.commands_ran().size();
  Output bad(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "v1", "-y"}), 2) << "a rollback takes no image";
  EXPECT_TRUE(contains(bad.err(), "a rollback takes no image")) << bad.err();
  EXPECT_EQ(world.run({"rollback", "staging", "immediate", "-y"}), 2);
  EXPECT_EQ(world.run({"rollback", "all", "--to", "nope", "-y"}), 2);
  EXPECT_TRUE(swaps_since(world.transport, settled).empty());

  // The rest of the halted rollback: running it again goes on where it stopped.
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << world.terminal.err();
  for (int host = 1; host <= 10; ++host) {
    EXPECT_EQ(world.transport.image_of(static_cast<core::BotId>(100 * host + 1)),
              FakeCliWorld::pinned("v1"))
        << host;
  }
}

TEST(CliRollback, AnUnreadableJournalRefusesTheRollbackRatherThanGuess) {
  FakeCliWorld world(fleet_of(2));
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  std::ofstream(world.fleet_state() / "deploys" / "6ca32b16-367e-4372-8a33-6dd9442ed2c3.jsonl")
      << "not json\n";
  const auto before = world.transport.commands_ran().size();
  Output run(world.terminal);
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 2);
  EXPECT_TRUE(
      run.err().starts_with("drover: error: rollback: 1 journal(s) of fleet unit cannot "
                            "be read"))
      << run.err();
  EXPECT_TRUE(world.transport.commands_ran().size() == before) << "no host was even asked";
}

}  // namespace
}  // namespace drover::testing
