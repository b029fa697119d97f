// `drover deploy` and `drover deploy --resume` end to end through the CLI's world, with the
// recording fake transport and a scripted terminal instead of hosts and a tty: what drover
// asked each host (commands_ran), what it printed, what it journaled, and its exit code.
// The integration suite proves the same against real Docker; these run in milliseconds.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "cli/lock/deploy_lock.h"
#include "support/fake_cli_world.h"
#include "support/file_size_limit.h"
#include "support/numbered_fleet.h"

namespace drover::testing {
namespace {

std::vector<std::string> names(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i <= to; ++i) out.push_back("host-" + std::to_string(i));
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(CliDeploy, SwapsEveryProductionHostPinnedToTheDigestVerifiesAndExitsZero) {
  FakeCliWorld world(fleet_of(3));
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();

  EXPECT_EQ(world.images_pinned(), std::vector<std::string>{"registry.test/tradebot:v2"});
  // The drift preflight asks every host first, before anything is swapped.
  const auto ran = world.transport.commands_ran();
  ASSERT_GE(ran.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(ran[i].args.front(), "version") << i;
  EXPECT_EQ(sorted(world.transport.hosts_that_ran("swap")), names(1, 3));
  EXPECT_EQ(sorted(world.transport.hosts_that_ran("status")), names(1, 3));
  for (const auto& call : ran) {
    if (call.args.front() != "swap") continue;
    auto image = std::find(call.args.begin(), call.args.end(), "--image");
    ASSERT_NE(image, call.args.end());
    EXPECT_EQ(*(image + 1), FakeCliWorld::pinned("v2")) << "every host gets the pinned digest";
  }
  for (core::BotId bot : {101, 102, 201, 202, 301, 302}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v2")) << bot;
  }
  EXPECT_EQ(world.transport.image_of(9901), FakeCliWorld::pinned("v1")) << "staging untouched";

  EXPECT_TRUE(contains(world.terminal.out(), "--- result: Success (3/3, 0 errors)"))
      << world.terminal.out();
  EXPECT_EQ(world.terminal.err(), "");
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock")) << "the lock is released";
  const auto deploys = world.journaled_deploys();
  ASSERT_EQ(deploys.size(), 1u);
  const auto journal = file_text(world.fleet_state() / "deploys" / (deploys[0] + ".jsonl"));
  EXPECT_TRUE(contains(journal, "\"exit_code\":0")) << journal;
  const auto origin = file_text(world.fleet_state() / "deploys" / (deploys[0] + ".origin.json"));
  EXPECT_TRUE(contains(origin, "tester@ops-1")) << "the world's operator: " << origin;
}

TEST(CliDeploy, TheErrorHaltStopsNewHostsAtTheThresholdAndExitsFour) {
  FakeCliWorld world(fleet_of(10), kOneAtATime);
  // 10 hosts at 10 %: one failure is tolerated, the second halts.
  world.transport.script("host-2").swap_rolls_back = true;
  world.transport.script("host-4").swap_rolls_back = true;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4) << world.terminal.err();

  EXPECT_EQ(world.transport.hosts_that_ran("swap"), names(1, 4)) << "nothing after the halt";
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out,
                       "--- result: Halted (2/10, 2 errors) — error halt: more than 1 of "
                       "10 hosts failed; 6 host(s) not started"))
      << out;
  EXPECT_TRUE(contains(out, "not started: host-5 host-6 host-7 host-8 host-9 host-10")) << out;
  for (core::BotId bot : {201, 202, 401, 402, 501}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v1")) << bot;
  }
}

TEST(CliDeploy, FailuresUnderTheThresholdLeaveStaleBotsAndExitFive) {
  FakeCliWorld world(fleet_of(10), kOneAtATime);
  world.transport.script("host-3").swap_rolls_back = true;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 5) << world.terminal.err();

  EXPECT_EQ(world.transport.hosts_that_ran("swap"), names(1, 10)) << "one failure is tolerated";
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, "--- result: Failed (9/10, 1 error)")) << out;
  EXPECT_TRUE(contains(out, "301")) << "verification names the stale bots: " << out;
}

TEST(CliDeploy, ASecondInterruptEndsAtOnceButRecordsTheResultAndReleasesTheLock) {
  FakeCliWorld world(fleet_of(5), kOneAtATime);
  const auto lock_file = world.fleet_state() / "lock";
  bool lock_gone_while_in_flight = false;
  // host-2 is still swapping when both signals arrive; its swap ends only once drover has
  // released the lock (or after 20 s, which fails the test): drover did not wait for it.
  world.transport.script("host-2").during_swap = [&] {
    world.interrupt = true;
    world.abandon = true;
    for (int i = 0; i < 2000 && std::filesystem::exists(lock_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    lock_gone_while_in_flight = !std::filesystem::exists(lock_file);
  };
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4) << world.terminal.err();

  EXPECT_TRUE(lock_gone_while_in_flight) << "drover waited for the host in flight";
  EXPECT_EQ(world.transport.hosts_that_ran("swap"), names(1, 2));
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, "interrupted again: drover stops waiting")) << out;
  EXPECT_TRUE(contains(out, "--- result: Interrupted (1/5, 0 errors)")) << out;
  EXPECT_TRUE(contains(out, "not waited for: host-2")) << out;
  const auto deploys = world.journaled_deploys();
  ASSERT_EQ(deploys.size(), 1u);
  const auto before_show = world.terminal.out().size();
  EXPECT_EQ(world.run({"show", deploys[0]}), 0) << world.terminal.err();
  const auto shown = world.terminal.out().substr(before_show);
  EXPECT_TRUE(contains(shown, "not waited for: host-2")) << shown;

  // A resume redoes the host nobody waited for, with the ones never started.
  world.interrupt = false;
  world.abandon = false;
  world.transport.script("host-2").during_swap = nullptr;
  EXPECT_EQ(world.run({"deploy", "--resume", deploys[0], "-y"}), 0) << world.terminal.err();
  for (core::BotId bot : {101, 201, 301, 401, 501}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v2")) << bot;
  }
}

TEST(CliDeploy, CtrlCStartsNoNewHostAndResumeDeploysOnlyTheRemainingHosts) {
  FakeCliWorld world(fleet_of(5), kOneAtATime);
  world.transport.script("host-2").during_swap = [&world] { world.interrupt = true; };
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4) << world.terminal.err();

  EXPECT_EQ(world.transport.hosts_that_ran("swap"), names(1, 2)) << "host-2 was in flight";
  EXPECT_TRUE(contains(world.terminal.out(), "interrupted: no new host will start"));
  EXPECT_TRUE(contains(world.terminal.out(), "--- result: Interrupted (2/5, 0 errors)"))
      << world.terminal.out();
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock"));
  const auto deploys = world.journaled_deploys();
  ASSERT_EQ(deploys.size(), 1u);

  world.interrupt = false;
  world.transport.script("host-2").during_swap = nullptr;
  const auto before = world.transport.commands_ran().size();
  EXPECT_EQ(world.run({"deploy", "--resume", deploys[0], "-y"}), 0) << world.terminal.err();

  std::vector<std::string> preflight;
  std::vector<std::string> resumed;
  const auto ran = world.transport.commands_ran();
  for (auto i = before; i < ran.size(); ++i) {
    if (ran[i].args.front() == "version") preflight.push_back(ran[i].host);
    if (ran[i].args.front() == "swap") resumed.push_back(ran[i].host);
  }
  EXPECT_EQ(sorted(preflight), names(3, 5)) << "the preflight asks only the hosts left";
  EXPECT_EQ(resumed, names(3, 5)) << "only the hosts not yet done";
  EXPECT_TRUE(contains(world.terminal.out(), "resuming deploy " + deploys[0] + ": 3 of 5"));
  EXPECT_EQ(world.journaled_deploys(), deploys) << "a resume appends to the same journal";
  for (core::BotId bot : {101, 201, 301, 401, 501}) {
    EXPECT_EQ(world.transport.image_of(bot), FakeCliWorld::pinned("v2")) << bot;
  }
}

TEST(CliDeploy, AJournalThatFillsTheDiskMidRolloutStartsNoNewHostAndNamesTheUnrecordedSwap) {
  FakeCliWorld world(fleet_of(5), kOneAtATime);
  std::optional<FileSizeLimit> disk_full;
  world.transport.script("host-2").during_swap = [&] {
    // host-1 is journaled; the disk fills now, 20 bytes into host-2's record.
    for (const auto& entry : std::filesystem::directory_iterator(world.fleet_state() / "deploys")) {
      if (entry.path().extension() == ".jsonl") disk_full.emplace(entry.file_size() + 20);
    }
  };
  const int code = world.run({"deploy", "all", "routine", "v2", "-y"});
  disk_full.reset();
  EXPECT_EQ(code, 9) << world.terminal.err();

  EXPECT_EQ(world.transport.hosts_that_ran("swap"), names(1, 2)) << "no new host after it";
  const auto err = world.terminal.err();
  EXPECT_TRUE(err.starts_with("drover: error: ")) << err;
  EXPECT_TRUE(contains(err,
                       ".jsonl: cannot write: File too large (no new host was started; the "
                       "swap of host-2 finished but may not be in the journal: `drover "
                       "verify` shows what runs on the fleet; free space on that disk"))
      << err;
  EXPECT_TRUE(contains(world.terminal.out(), "the journal could not record host-2"))
      << world.terminal.out();
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock")) << "the lock is released";
  ASSERT_EQ(world.journaled_deploys().size(), 1u);
  EXPECT_EQ(world.run({"show", world.journaled_deploys()[0]}), 0)
      << "the journal reads back, without a torn record: " << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out(), "host-1")) << world.terminal.out();
}

TEST(CliDeploy, AnotherAgentBuildRefusesTheDeployTouchingNothingAndExitsEight) {
  FakeCliWorld world(fleet_of(3));
  world.transport.script("host-2").agent_sha256 = std::string(64, 'f');
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 8);

  EXPECT_EQ(sorted(world.transport.hosts_that_ran("version")), names(1, 3));
  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty());
  const auto err = world.terminal.err();
  EXPECT_TRUE(
      err.starts_with("drover: error: agent preflight: 1 host runs another drover-agent "
                      "build (host-2); nothing was touched"))
      << err;
  EXPECT_TRUE(contains(world.terminal.out(), "Agent drift")) << "the plan box names it";
  EXPECT_TRUE(world.journaled_deploys().empty());
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock"));
  EXPECT_TRUE(world.transport.other_agent_builds().empty()) << "a refused deploy sends nothing";

  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y", "--allow-drift"}), 0)
      << world.terminal.err();
  EXPECT_EQ(sorted(world.transport.hosts_that_ran("swap")), names(1, 3));
  // The transport learns which host's agent may not read this build's arguments (ssm then
  // sends it its own command with --bots rather than a place in an --instance-bots map).
  EXPECT_EQ(world.transport.other_agent_builds(), std::vector<core::HostName>{"host-2"});
}

TEST(CliDeploy, BotsStillNotLoggedInAfterTheRetryExitSix) {
  FakeCliWorld world(fleet_of(2));
  world.transport.script("host-2").login = core::LoginState::not_logged_in;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "30"}), 6);

  // One status for everyone, then the straggler host alone: at each look during the wait
  // (every 5 s, none of which found it logged in), and once more when the wait ran out.
  const auto asked = world.transport.hosts_that_ran("status");
  ASSERT_EQ(asked.size(), 2u + 6u);
  for (std::size_t i = 2; i < asked.size(); ++i) EXPECT_EQ(asked[i], "host-2") << i;
  EXPECT_GE(world.clock.now().time_since_epoch(), std::chrono::seconds(30)) << "the wait passed";
}

TEST(CliDeploy, TheStragglerWaitEndsOnceEveryStragglerHasLoggedIn) {
  FakeCliWorld world(fleet_of(2));
  // host-2's bots log in on the third status call: verification, one look, then it is in.
  world.transport.script("host-2").login = core::LoginState::not_logged_in;
  world.transport.script("host-2").logs_in_at_status_call = 3;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "60"}), 0)
      << world.terminal.err();

  const auto asked = world.transport.hosts_that_ran("status");
  ASSERT_EQ(asked.size(), 4u) << "both hosts, then the straggler's host alone at each look";
  EXPECT_EQ(asked[2], "host-2");
  EXPECT_EQ(asked[3], "host-2");
  EXPECT_LT(world.clock.now().time_since_epoch(), std::chrono::seconds(30))
      << "the wait went on after the straggler logged in";
  const auto out = world.terminal.out();
  EXPECT_TRUE(contains(out, "logged in during wait : 2/2")) << out;
}

TEST(CliDeploy, AHeldLockRefusesTheDeployNamingItsHolderAndExitsSeven) {
  FakeCliWorld world(fleet_of(2));
  std::filesystem::create_directories(world.fleet_state());
  auto other = world.lock_environment;
  other.self = {"alice", "ops-2"};
  auto held = cli::DeployLock::acquire(world.fleet_state() / "lock", "unit",
                                       "6ca32b16-367e-4372-8a33-6dd9442ed2c3",
                                       "drover deploy all fast", other);
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 7);

  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty());
  EXPECT_TRUE(world.terminal.err().starts_with("drover: error: ")) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.err(), "alice@ops-2")) << world.terminal.err();
  EXPECT_TRUE(held.held()) << "someone else's lock is left alone";
}

TEST(CliDeploy, ANoAtTheConfirmationTouchesNothingAndExitsThree) {
  FakeCliWorld world(fleet_of(3));
  world.terminal.set_interactive(true);
  world.terminal.will_answer("no");
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2"}), 3);

  ASSERT_EQ(world.terminal.prompts().size(), 1u);
  EXPECT_TRUE(contains(world.terminal.prompts()[0], "(3)")) << world.terminal.prompts()[0];
  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty());
  EXPECT_TRUE(world.journaled_deploys().empty());
  EXPECT_FALSE(std::filesystem::exists(world.fleet_state() / "lock"));
}

TEST(CliDeploy, TheHostCountConfirmsOnATerminal) {
  FakeCliWorld world(fleet_of(3));
  world.terminal.set_interactive(true);
  world.terminal.will_answer("3");
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2"}), 0) << world.terminal.err();
  EXPECT_EQ(sorted(world.transport.hosts_that_ran("swap")), names(1, 3));
  EXPECT_FALSE(world.terminal.status_lines().empty()) << "a terminal gets the live bar";
}

TEST(CliDeploy, BadWordsAreUsageErrorsThatTouchNothingAndExitTwo) {
  FakeCliWorld world(fleet_of(2));
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"deploy", "all", "turbo", "v2", "-y"},
           {"deploy", "staging", "immediate", "v2", "-y"},
           {"deploy", "bot", "99999", "v2", "-y"},
           {"deploy", "all", "routine", "v2;reboot", "-y"},
           {"deploy", "--straggler-wait", "soon"},
       }) {
    EXPECT_EQ(world.run(args), 2) << args[2];
  }
  EXPECT_TRUE(world.terminal.err().starts_with("drover: error: ")) << world.terminal.err();
  EXPECT_TRUE(world.transport.commands_ran().empty());
  EXPECT_TRUE(world.journaled_deploys().empty());
}

TEST(CliDeploy, AStateDirectoryThatCannotBeMadeIsAStorageFailureExitingNine) {
  FakeCliWorld world(fleet_of(2));
  std::ofstream(world.state_root()) << "a file where the state directory should be";
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 9);
  const auto err = world.terminal.err();
  EXPECT_TRUE(err.starts_with("drover: error: ")) << err;
  EXPECT_TRUE(
      err.ends_with("/state/unit: cannot create the state directory: Not a directory (a "
                    "file is in the way: move it, or point DROVER_STATE_DIR at another "
                    "directory)\n"))
      << err;
  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty())
      << "nothing swapped without a journal";
}

TEST(CliDeploy, ADryRunShowsThePlanAndExitsZeroTouchingNothing) {
  FakeCliWorld world(fleet_of(2));
  EXPECT_EQ(world.run({"deploy", "all", "fast", "v2", "--dry-run"}), 0) << world.terminal.err();
  EXPECT_TRUE(contains(world.terminal.out(), FakeCliWorld::pinned("v2"))) << world.terminal.out();
  EXPECT_TRUE(world.terminal.out().ends_with(
      "dry run: nothing was deployed (no bot touched, no lock taken, no journal written); run "
      "the same command without --dry-run to deploy\n"))
      << world.terminal.out();
  EXPECT_TRUE(world.transport.hosts_that_ran("swap").empty());
  EXPECT_TRUE(world.journaled_deploys().empty());
}

}  // namespace
}  // namespace drover::testing
