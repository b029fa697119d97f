// The agent protocol round-trips: every request drover can build parses back, in drover-agent,
// into the same request; every report drover-agent can write reads back, in drover, into the
// same report. Each field is set to something other than its default, so a field one side
// forgets fails here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/agent_report.h"
#include "core/agent_request.h"
#include "core/input_error.h"

namespace drover::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kImageId = "sha256:" + std::string(64, 'c');
const std::string kDigest = "sha256:" + std::string(64, 'd');

AgentRequest round_trip(const AgentRequest& request) {
  AgentCommandLine command_line;
  return command_line.parse(agent_argv(request));
}

SwapRequest full_swap_request() {
  SwapRequest r;
  r.bots = {539, 540, 7};
  r.image = parse_image_reference("127.0.0.1:5000/team/bot:v2@" + kDigest);
  r.stop_timeout = seconds(20);
  r.settle = milliseconds(2500);
  r.jitter = milliseconds(60000);
  r.login_wait = milliseconds(25125);
  r.login_probe = "redis:10.0.0.5:6379/bot:{id}:login=1";
  r.disk_floor_mb = 2048;
  r.container_template = nlohmann::json{{"Env", {"BOT_ID={id}", "A=b c"}}, {"Tty", false}};
  return r;
}

TEST(CoreAgentProtocol, EveryRequestParsesBackIntoItself) {
  const auto swap = full_swap_request();
  SwapRequest plain_swap;  // no jitter, no template: those options are left out
  plain_swap.bots = {1};
  plain_swap.image = parse_image_reference("bot:v1");
  StatusRequest status{{539, 540}, parse_image_reference("team/bot@" + kDigest), "log:^ready$", {}};
  StatusRequest status_without_image{{1}, std::nullopt, "health", {}};
  // A rollback's host: bots going back to different digests.
  auto swap_per_bot = swap;
  swap_per_bot.bot_images = {{540, parse_image_reference("team/bot@" + kDigest)},
                             {7, parse_image_reference("127.0.0.1:5000/bot:v0")}};
  auto status_per_bot = status;
  status_per_bot.bot_images = {{540, parse_image_reference("bot:v1")}};
  StatusRequest status_only_per_bot{{3, 4}, std::nullopt, "health", {}};
  status_only_per_bot.bot_images = {{4, parse_image_reference("bot@" + kDigest)}};
  RecoverRequest recover{{77, 78}, milliseconds(1500)};
  BaselineRequest baseline{
      true, 4096, "/mnt/host root",
      parse_image_reference("123456789012.dkr.ecr.eu-west-1.amazonaws.com/bot:v1")};
  BaselineRequest plain_baseline{false, 512, "", std::nullopt};
  for (const AgentRequest& request : std::vector<AgentRequest>{
           swap, plain_swap, status, status_without_image, swap_per_bot, status_per_bot,
           status_only_per_bot, recover, baseline, plain_baseline, VersionRequest{}}) {
    SCOPED_TRACE(::testing::PrintToString(agent_argv(request)));
    EXPECT_EQ(round_trip(request), request);
  }
}

TEST(CoreAgentProtocol, ArgvIsWhatOlderAgentsParse) {
  // The option names and their order are the contract with agents already on hosts.
  EXPECT_EQ(agent_argv(full_swap_request()),
            (std::vector<std::string>{
                "swap", "--bots", "539,540,7", "--image", "127.0.0.1:5000/team/bot:v2@" + kDigest,
                "--stop-timeout", "20", "--settle", "2.5", "--login-wait", "25.125",
                "--login-probe", "redis:10.0.0.5:6379/bot:{id}:login=1", "--disk-floor-mb", "2048",
                "--jitter", "60", "--template", R"({"Env":["BOT_ID={id}","A=b c"],"Tty":false})"}));
  EXPECT_EQ(agent_argv(StatusRequest{{1, 2}, std::nullopt, "health", {}}),
            (std::vector<std::string>{"status", "--bots", "1,2", "--login-probe", "health"}));
  EXPECT_EQ(agent_argv(BaselineRequest{true, 1024, "", std::nullopt}),
            (std::vector<std::string>{"baseline", "--disk-floor-mb", "1024", "--fix"}));
  EXPECT_EQ(agent_argv(BaselineRequest{false, 1024, "", parse_image_reference("r:5001/bot:v1")}),
            (std::vector<std::string>{"baseline", "--disk-floor-mb", "1024", "--registry-image",
                                      "r:5001/bot:v1"}));
  EXPECT_EQ(agent_argv(VersionRequest{}), std::vector<std::string>{"version"});
  EXPECT_EQ(command_name(RecoverRequest{}), "recover");
  // Per-bot images come last, in bot order, and only when there are any.
  auto per_bot = full_swap_request();
  per_bot.bot_images = {{540, parse_image_reference("bot:v1")}, {7, parse_image_reference("b:v0")}};
  const auto args = agent_argv(per_bot);
  EXPECT_EQ(std::vector(args.end() - 4, args.end()),
            (std::vector<std::string>{"--bot-image", "7=b:v0", "--bot-image", "540=bot:v1"}));
  EXPECT_EQ(per_bot.image_for(540).str(), "bot:v1");
  EXPECT_EQ(per_bot.image_for(539), per_bot.image);
  StatusRequest status{{1, 2}, std::nullopt, "health", {}};
  status.bot_images = {{2, parse_image_reference("bot:v1")}};
  EXPECT_EQ(status.expected_for(1), std::nullopt);
  EXPECT_EQ(status.expected_for(2), parse_image_reference("bot:v1"));
}

TEST(CoreAgentProtocol, TheCommandLineRefusesWhatNoRequestCanBe) {
  AgentCommandLine command_line;
  EXPECT_THROW(command_line.parse({"swap", "--bots", "1,1", "--image", "bot:v1"}), InputError);
  EXPECT_THROW(command_line.parse({"swap", "--bots", "1", "--image", "Bot:v1"}), InputError);
  EXPECT_THROW(command_line.parse({"swap", "--bots", "1", "--image", "bot:v1", "--template", "[]"}),
               InputError);
  EXPECT_THROW(command_line.parse({"swap", "--bots", "1"}), CLI::ParseError);
  EXPECT_THROW(command_line.parse({"swap", "--bots", "1", "--image", "b", "--settle", "3601"}),
               CLI::ParseError);
  EXPECT_THROW(command_line.parse({"status"}), InputError);  // neither --bots nor a map
  EXPECT_THROW(command_line.parse({"status", "--bots", "1", "--instance-bots", "i-1=1"}),
               CLI::ParseError);
  for (const auto& pair : {"9=bot:v1", "1", "1=Bad", "x=bot:v1"}) {
    EXPECT_THROW(command_line.parse({"swap", "--bots", "1", "--image", "b", "--bot-image", pair}),
                 InputError)
        << pair;
  }
  EXPECT_THROW(command_line.parse(
                   {"status", "--bots", "1", "--bot-image", "1=a:v1", "--bot-image", "1=a:v2"}),
               InputError);
  EXPECT_THROW(command_line.parse({"dance"}), CLI::ParseError);
  // One command line parses several times: nothing of an earlier parse leaks into the next.
  EXPECT_EQ(command_line.parse({"recover", "--bots", "5"}),
            AgentRequest(RecoverRequest{{5}, seconds(10)}));
  EXPECT_EQ(command_line.command(), "recover");
}

// Issue 11: one status command for many SSM instances; each agent takes its own bots (and
// only their --bot-image entries) through $AWS_SSM_INSTANCE_ID.
TEST(CoreAgentProtocol, AStatusForManyInstancesGivesEachAgentItsOwnBots) {
  const auto map = instance_bots_text({{"i-0a", {539, 540}}, {"i-0b", {541}}});
  EXPECT_EQ(map, "i-0a=539,540;i-0b=541");
  const std::vector<std::string> args = {"status",     "--instance-bots", map,     "--bot-image",
                                         "541=bot:v1", "--expect-image",  "bot:v2"};
  AgentCommandLine command_line;
  command_line.set_instance_id("i-0b");
  StatusRequest mine{{541}, parse_image_reference("bot:v2"), "health", {}};
  mine.bot_images = {{541, parse_image_reference("bot:v1")}};
  EXPECT_EQ(command_line.parse(args), AgentRequest(mine));
  command_line.set_instance_id("i-0a");
  EXPECT_EQ(command_line.parse(args),
            AgentRequest(StatusRequest{{539, 540}, parse_image_reference("bot:v2"), "health", {}}));
  for (const auto* id : {"", "i-0c"}) {
    command_line.set_instance_id(id);
    EXPECT_THROW(command_line.parse(args), InputError) << "instance '" << id << "'";
  }
  command_line.set_instance_id("i-0a");
  for (const auto* bad : {"i-0a=1;i-0b=1", "i-0a=1;i-0a=2", "=1", "i-0a", "i-0a=x"}) {
    EXPECT_THROW(command_line.parse({"status", "--instance-bots", bad}), InputError) << bad;
  }
}

// Issue 11: the rollout's swaps of hosts that start together are one command as well.
TEST(CoreAgentProtocol, ASwapForManyInstancesGivesEachAgentItsOwnBots) {
  const std::vector<std::string> args = {"swap",       "--instance-bots", "i-0a=539,540;i-0b=541",
                                         "--image",    "bot:v2",          "--bot-image",
                                         "540=bot:v3", "--settle",        "5"};
  AgentCommandLine command_line;
  command_line.set_instance_id("i-0a");
  const auto request = std::get<SwapRequest>(command_line.parse(args));
  EXPECT_EQ(request.bots, (std::vector<BotId>{539, 540}));
  EXPECT_EQ(request.image, parse_image_reference("bot:v2"));
  ASSERT_EQ(request.bot_images.size(), 1u);
  EXPECT_EQ(request.bot_images.at(540), parse_image_reference("bot:v3"));
  EXPECT_EQ(request.settle, seconds(5));
  command_line.set_instance_id("i-0b");
  const auto other = std::get<SwapRequest>(command_line.parse(args));
  EXPECT_EQ(other.bots, (std::vector<BotId>{541}));
  EXPECT_TRUE(other.bot_images.empty());
  command_line.set_instance_id("i-0c");
  EXPECT_THROW(command_line.parse(args), InputError) << "an instance the map does not name";
  EXPECT_THROW(command_line.parse({"swap", "--image", "bot:v2"}), InputError)
      << "neither --bots nor a map";
  EXPECT_THROW(
      command_line.parse({"swap", "--bots", "1", "--instance-bots", "i-0c=1", "--image", "bot:v2"}),
      CLI::ParseError);
}

SwapReport full_swap_report() {
  SwapReport r;
  r.host = "ip-10-0-0-7";
  r.ok = false;
  r.image = SwapImage{"127.0.0.1:5000/tradebot:v2", kImageId, "127.0.0.1:5000/tradebot@" + kDigest};
  r.jitter_ms = 1234;
  r.free_bytes_before = 987654321;
  r.recovered = {{539, RecoverAction::removed_prev, "bot539 was up"},
                 {540, RecoverAction::restored_prev, ""}};
  BotSwapResult swapped;
  swapped.bot = 539;
  swapped.outcome = BotSwapOutcome::swapped;
  swapped.reason = "swapped, but removing bot539-prev failed";
  swapped.image_id = kImageId;
  swapped.repo_digest = "127.0.0.1:5000/tradebot@" + kDigest;
  swapped.created_from_template = true;
  swapped.from = PreviousImage{"127.0.0.1:5000/tradebot:v1", "sha256:" + std::string(64, 'b'),
                               "127.0.0.1:5000/tradebot@sha256:" + std::string(64, 'e')};
  swapped.timings = {1200, 150, 3000, 400, 10000, 80, 20, 5, 3500};
  swapped.login = LoginState::logged_in;
  swapped.login_detail = "healthcheck says healthy";
  BotSwapResult rolled_back;
  rolled_back.bot = 540;
  rolled_back.outcome = BotSwapOutcome::rolled_back;
  rolled_back.reason = "exited with code 1";
  rolled_back.login = LoginState::not_logged_in;
  rolled_back.from = PreviousImage{"bot:local", "sha256:" + std::string(64, '1'), ""};
  BotSwapResult failed;
  failed.bot = 541;
  failed.outcome = BotSwapOutcome::failed;
  BotSwapResult unchanged;
  unchanged.bot = 542;
  unchanged.outcome = BotSwapOutcome::unchanged;
  r.bots = {swapped, rolled_back, failed, unchanged};
  r.space_reclaimed = 123456;
  r.images_deleted = 2;
  r.prune_error = "prune: engine busy";
  r.error = "one bot failed";
  return r;
}

TEST(CoreAgentProtocol, EveryReportReadsBackIntoItself) {
  const auto swap = full_swap_report();
  EXPECT_EQ(parse_swap_report(to_json(swap).dump()), swap);
  SwapReport failed_pull;
  failed_pull.host = "h";
  failed_pull.image = SwapImage{"bot:v9", "", ""};
  failed_pull.error = "pull failed: manifest unknown";
  EXPECT_EQ(read_swap_report(to_json(failed_pull)), failed_pull);

  BotStatus present;
  present.bot = 539;
  present.present = true;
  present.running = true;
  present.state = "running";
  present.image = "127.0.0.1:5000/tradebot@" + kDigest;
  present.health = "healthy";
  present.restart_count = 2;
  present.image_id = kImageId;
  present.repo_digests = {"a@" + kDigest, "b@" + kDigest};
  present.on_expected_image = true;
  present.prev_left_over = true;
  present.login = LoginState::logged_in;
  present.login_detail = "key bot:539:login is 1";
  BotStatus absent;
  absent.bot = 540;
  absent.on_expected_image = false;
  absent.login = LoginState::not_logged_in;
  absent.login_detail = "no container bot540";
  absent.error = "engine timed out";
  BotStatus crash_looping;
  crash_looping.bot = 541;
  crash_looping.present = true;
  crash_looping.state = "restarting";
  crash_looping.exit_code = 3;
  crash_looping.image = "127.0.0.1:5000/tradebot@" + kDigest;
  crash_looping.on_expected_image = true;
  const StatusReport status{"ip-10-0-0-8", true, {present, absent, crash_looping}, "partial"};
  EXPECT_EQ(parse_status_report(to_json(status).dump()), status);

  const RecoverReport recover{
      "h", false, {{7, RecoverAction::failed, "no image"}, {8, RecoverAction::absent, ""}}, "x"};
  EXPECT_EQ(read_recover_report(to_json(recover)), recover);

  BaselineReport baseline{"h", "/mnt/host", false, "0.1.0", std::string(64, 'e'), {}};
  baseline.checks = {{"docker_on_boot", false, true, true, "disabled", "enabled it"},
                     {"disk_free", true, false, false, "12.3 GiB", "plenty"}};
  EXPECT_EQ(read_baseline_report(to_json(baseline)), baseline);

  const VersionReport version{"h", "0.1.0", std::string(64, 'f')};
  EXPECT_EQ(read_version_report(to_json(version)), version);
}

TEST(CoreAgentProtocol, AnErrorReportReadsAsAFailedCommand) {
  const auto report = read_swap_report(error_report("swap", "h", "--bots: bot 1 is listed twice"));
  EXPECT_FALSE(report.ok);
  EXPECT_TRUE(report.bots.empty());
  EXPECT_EQ(report.error, std::optional<std::string>("--bots: bot 1 is listed twice"));
  EXPECT_THROW(read_status_report(error_report("swap", "h", "x")), AgentOutputError);
}

TEST(CoreAgentProtocol, EveryEnumSpellingReadsBack) {
  for (auto state : {LoginState::logged_in, LoginState::not_logged_in, LoginState::unknown}) {
    EXPECT_EQ(parse_login_state(to_string(state)), state);
  }
  for (auto outcome : {BotSwapOutcome::swapped, BotSwapOutcome::unchanged,
                       BotSwapOutcome::rolled_back, BotSwapOutcome::failed}) {
    EXPECT_EQ(parse_bot_swap_outcome(to_string(outcome)), outcome);
  }
  for (auto action :
       {RecoverAction::none, RecoverAction::removed_prev, RecoverAction::restored_prev,
        RecoverAction::started, RecoverAction::failed, RecoverAction::absent}) {
    EXPECT_EQ(parse_recover_action(to_string(action)), action);
  }
  EXPECT_EQ(to_string(RecoverAction::removed_prev), "removed_prev");
  EXPECT_EQ(parse_bot_swap_outcome("Swapped"), std::nullopt);
  EXPECT_EQ(parse_recover_action("restored"), std::nullopt);
}

}  // namespace
}  // namespace drover::core
