// Issue 11, point 7: the rollout's batched swaps on the local SSM endpoint, with the real agent
// swapping real bots. The hosts that start together go as one SendCommand (each agent taking its
// own bots through --instance-bots and AWS_SSM_INSTANCE_ID); here one of its instances drops off
// SSM just as that command arrives (the endpoint's `offline_on_command`), so its invocation
// waits for delivery while the others run.
//   - Left alone, that instance's delivery times out: it alone fails, as unreachable with
//     nothing run on it, and its bots stay on the old image, running.
//   - Ctrl-C while it waits cancels that instance's invocation, and only it: the swaps that
//     run finish.
// And the invocation list is followed page by page when the endpoint pages it by one.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/pty_session.h"
#include "support/ssm_world.h"

namespace drover::testing {
namespace {

// Every host of three starts at once (one command), and one failure does not halt the others.
constexpr const char* kAllAtOnce = R"([speeds.routine]
concurrency = 3
halt_percent = 100
stop_timeout = 5
settle = 2
login_wait = 10
)";

std::vector<SsmHostSpec> three_hosts(int base) {
  return {{{"host-1", {base + 1, base + 2}}}, {{"host-2", {base + 3}}}, {{"host-3", {base + 4}}}};
}

// The swap invocations the endpoint holds, by instance id: {status, command_id}.
std::map<std::string, std::pair<std::string, std::string>> swaps(FakeAws& aws) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& inv : aws.invocations()) {
    if (inv["commands"][0].get<std::string>().find(" swap --instance-bots ") == std::string::npos)
      continue;
    out[inv["instance_id"]] = {inv["status"], inv["command_id"]};
  }
  return out;
}

// Bot ids 8801-8804.
TEST(SsmBatchRolloutIT, AnInstanceThatGoesOfflineMidBatchFailsAloneAndNothingRunsOnIt) {
  SsmWorldOptions options;
  options.speeds = kAllAtOnce;
  SsmWorld world(DROVER_BIN, DROVER_AGENT_BIN, "ssm-batch-offline", three_hosts(8800), options);
  auto& fleet = world.fleet();
  fleet.run_all("v1");
  const auto dropping = SsmWorld::instance_id(1);  // host-2
  world.aws().set_config({{"offline_on_command", {{"instance", dropping}, {"match", " swap "}}},
                          {"delivery_timeout_seconds", 6}});

  auto run = world.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});
  world.aws().set_config(
      {{"delivery_timeout_seconds", nullptr}, {"ping_status", {{dropping, "Online"}}}});

  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(first_missing(run.out, {"host-1: ok", "host-3: ok"}), "") << run.out;
  EXPECT_NE(run.out.find("host-2: "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("host-2: ok"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("DeliveryTimedOut"), std::string::npos)
      << "the failure says why: SSM never delivered the command\n"
      << run.out;
  const auto seen = swaps(world.aws());
  ASSERT_EQ(seen.size(), 3u) << world.aws().invocations().dump(1);
  EXPECT_EQ(seen.at(SsmWorld::instance_id(0)).second, seen.at(dropping).second)
      << "the three hosts were one command";
  EXPECT_EQ(seen.at(dropping).first, "TimedOut");
  for (int bot : {8801, 8802, 8804}) EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
  EXPECT_EQ(fleet.version(8803), "v1") << "nothing ran on the instance that dropped off";
  EXPECT_TRUE(fleet.bot(8803).state.running) << "and its bot is not left down";
  EXPECT_EQ(count_calls(world.aws().calls(), "GetCommandInvocation"), 0)
      << "one list per poll follows the whole command";
}

// Bot ids 8821-8824. The endpoint lists one invocation a page (as AWS may, whatever
// MaxResults asks): drover follows NextToken to the end, or host-3 would never be seen.
TEST(SsmBatchRolloutIT, AnInvocationListInPagesOfOneIsFollowedToTheEnd) {
  SsmWorldOptions options;
  options.speeds = kAllAtOnce;
  SsmWorld world(DROVER_BIN, DROVER_AGENT_BIN, "ssm-batch-pages", three_hosts(8820), options);
  auto& fleet = world.fleet();
  fleet.run_all("v1");
  world.aws().set_config({{"page_limit", 1}});
  world.aws().clear_calls();
  auto run = world.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});
  world.aws().set_config({{"page_limit", nullptr}});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(
      first_missing(run.out, {"host-1: ok", "host-2: ok", "host-3: ok",
                              "--- result: Success (3/3, 0 errors)", "on deployed version : 4/4"}),
      "")
      << run.out;
  for (int bot : {8821, 8822, 8823, 8824}) EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
  const auto calls = world.aws().calls();
  EXPECT_EQ(count_calls(calls, "SendCommand"), 3) << "version, swap and status: one each";
  EXPECT_GE(count_calls(calls, "ListCommandInvocations"), 9)
      << "three commands, each followed over three pages";
  EXPECT_EQ(count_calls(calls, "GetCommandInvocation"), 0);
}

// Bot ids 8811-8814.
TEST(SsmBatchRolloutIT, CtrlCWithPartOfABatchPendingCancelsThoseInstancesOnly) {
  SsmWorldOptions options;
  options.speeds = kAllAtOnce;
  SsmWorld world(DROVER_BIN, DROVER_AGENT_BIN, "ssm-batch-ctrlc", three_hosts(8810), options);
  auto& fleet = world.fleet();
  fleet.run_all("v1");
  const auto dropping = SsmWorld::instance_id(1);  // host-2: its invocation stays Pending
  world.aws().set_config({{"offline_on_command", {{"instance", dropping}, {"match", " swap "}}}});

  LiveProcess deploy(LiveProcess::Mode::pipes,
                     fleet.argv({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"},
                                world.config_path()),
                     world.env());
  ASSERT_TRUE(deploy.wait_for("host-3: started")) << deploy.output();
  // Ctrl-C once the other two instances run their swap and host-2's waits for delivery.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    const auto seen = swaps(world.aws());
    if (seen.size() == 3 && seen.at(dropping).first == "Pending" &&
        seen.at(SsmWorld::instance_id(0)).first != "Pending" &&
        seen.at(SsmWorld::instance_id(2)).first != "Pending")
      break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << world.aws().invocations().dump(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  deploy.send_signal(SIGINT);
  const auto code = deploy.wait_exit();
  world.aws().set_config({{"ping_status", {{dropping, "Online"}}}});
  ASSERT_TRUE(code.has_value()) << deploy.output();
  const std::string out = deploy.output();
  EXPECT_EQ(*code, 4) << out;
  EXPECT_NE(out.find("--- result: Interrupted"), std::string::npos) << out;
  EXPECT_NE(out.find("host-2: not started: "), std::string::npos)
      << "its command was withdrawn before it reached the host: not started, not failed\n"
      << out;
  EXPECT_EQ(out.find("host-2: FAILED"), std::string::npos) << out;
  EXPECT_EQ(first_missing(out, {"host-1: ok", "host-3: ok"}), "")
      << "the swaps that ran were left to finish\n"
      << out;

  const auto seen = swaps(world.aws());
  EXPECT_EQ(seen.at(dropping).first, "Cancelled");
  EXPECT_EQ(seen.at(SsmWorld::instance_id(0)).first, "Success");
  EXPECT_EQ(seen.at(SsmWorld::instance_id(2)).first, "Success");
  EXPECT_LE(count_calls(world.aws().calls(), "CancelCommand"), 2)
      << "one cancel in the swap command (for the instance that had not started), at most one "
         "in a status command that could not reach it either";
  for (int bot : {8811, 8812, 8814}) EXPECT_EQ(fleet.version(bot), "v2") << "bot" << bot;
  EXPECT_EQ(fleet.version(8813), "v1");
  EXPECT_TRUE(fleet.bot(8813).state.running);
}

}  // namespace
}  // namespace drover::testing
