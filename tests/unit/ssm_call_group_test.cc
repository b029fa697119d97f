// SsmTransport's call group (transport/ssm/ssm_call_group.cc) against a scripted SSM on a
// virtual clock: one SendCommand per 50 instances with each host's bots in --instance-bots, the
// invocation list followed page by page, GetCommandInvocation only for a cut output, hosts SSM
// cannot reach answered without a command, and calls that differ sent as commands of their own.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "aws/aws_error.h"
#include "aws/retry_policy.h"
#include "core/virtual_clock.h"
#include "transport/ssm/ssm_transport.h"

namespace drover::transport {
namespace {

using nlohmann::json;

std::string instance(int i) {
  return fmt::format("i-{:017x}", 0xa00 + i);
}

core::Host host(int i) {
  return {fmt::format("host-{}", i), instance(i), {1000 + i}, core::HostGroup::production};
}

// An SSM whose every invocation succeeds at once, printing {"instance": ID}; `offline` is not
// Online; `cut` prints 3,000 characters before its report. Lists `page` rows at a time.
class ScriptedFleetSsm {
 public:
  std::vector<std::string> calls;
  std::vector<json> sent;
  std::set<std::string> offline;
  std::set<std::string> cut;
  std::set<std::string> running;    // InProgress until taken out
  std::set<std::string> old_agent;  // its agent refuses --instance-bots (exit 2), as before it
  std::set<std::string> pending;    // Pending until cancelled
  std::set<std::string> failing;    // its agent ends with exit 1 (a bot not reached)
  std::vector<json> cancelled;      // CancelCommand inputs
  bool out_of_descriptors = false;  // SendCommand cannot be sent from this machine
  std::vector<json> list_commands_filters;   // each ListCommands' Filters
  std::vector<std::string> listed_commands;  // each ListCommandInvocations' CommandId (page 1)
  std::size_t page = 20;
  std::size_t commands_page = 0;  // ListCommands' rows a page; 0: all in one
  int fleet_size = 0;
  double run_seconds = 0;               // a finished row's finish date after its request
  core::VirtualClock* clock = nullptr;  // when set, listed_at records each list's time
  std::vector<TimePoint> listed_at;     // of each ListCommandInvocations (page 1)

  AwsJsonCall call() {
    return [this](std::string_view op, const json& input) -> json {
      calls.emplace_back(op);
      if (op == "DescribeInstanceInformation") {
        json list = json::array();
        for (int i = 0; i < fleet_size; ++i) {
          list.push_back(
              {{"InstanceId", instance(i)},
               {"PingStatus", offline.contains(instance(i)) ? "ConnectionLost" : "Online"}});
        }
        return {{"InstanceInformationList", list}};
      }
      if (op == "SendCommand") {
        if (out_of_descriptors) {
          throw aws::AwsError(std::string(aws::kClientOutOfResources),
                              "this machine ran out of file descriptors or memory");
        }
        sent.push_back(input);
        return {{"Command",
                 {{"CommandId", fmt::format("cmd-{}", sent.size())},
                  {"RequestedDateTime", 1.8e9 + static_cast<double>(sent.size())}}}};
      }
      if (op == "ListCommands") {
        list_commands_filters.push_back(input.value("Filters", json()));
        json rows = json::array();
        const std::size_t from =
            input.contains("NextToken") ? std::stoul(input["NextToken"].get<std::string>()) : 0;
        const std::size_t to =
            commands_page == 0 ? sent.size() : std::min(sent.size(), from + commands_page);
        for (std::size_t k = from; k < to; ++k) {
          const std::size_t c = sent.size() - 1 - k;  // newest first, as SSM lists them
          int completed = 0;
          int errors = 0;
          for (const auto& id : sent[c]["InstanceIds"]) {
            const auto i = id.get<std::string>();
            const bool ended = !running.contains(i) && !pending.contains(i);
            completed += ended ? 1 : 0;
            errors += ended && failing.contains(i) ? 1 : 0;
          }
          rows.push_back({{"CommandId", fmt::format("cmd-{}", c + 1)},
                          {"CompletedCount", completed},
                          {"ErrorCount", errors}});
        }
        json out = {{"Commands", rows}};
        if (to < sent.size()) out["NextToken"] = std::to_string(to);
        return out;
      }
      if (op == "ListCommandInvocations") {
        if (!input.contains("NextToken")) {
          listed_commands.push_back(input["CommandId"]);
          if (clock) listed_at.push_back(clock->now());
        }
        const auto& command =
            sent.at(std::stoul(input["CommandId"].get<std::string>().substr(4)) - 1);
        const auto ids = command["InstanceIds"].get<std::vector<std::string>>();
        const std::size_t from =
            input.contains("NextToken") ? std::stoul(input["NextToken"].get<std::string>()) : 0;
        json rows = json::array();
        for (std::size_t i = from; i < std::min(ids.size(), from + page); ++i) {
          if (running.contains(ids[i]) || pending.contains(ids[i])) {
            rows.push_back({{"CommandId", input["CommandId"]},
                            {"InstanceId", ids[i]},
                            {"Status", running.contains(ids[i]) ? "InProgress" : "Pending"}});
            continue;
          }
          if (withdrawn.contains(ids[i])) {
            rows.push_back({{"CommandId", input["CommandId"]},
                            {"InstanceId", ids[i]},
                            {"Status", "Cancelled"},
                            {"StatusDetails", "Cancelled"}});
            continue;
          }
          const double requested = 1.8e9 + static_cast<double>(&command - sent.data() + 1);
          const auto line = command["Parameters"]["commands"][0].get<std::string>();
          const bool refused =
              old_agent.contains(ids[i]) && line.find("--instance-bots") != std::string::npos;
          const bool failed = failing.contains(ids[i]);
          const std::string output =
              refused ? R"({"command":"agent","ok":false,"error":"The following argument )"
                        R"(was not expected: --instance-bots"})"
                        "\n"
                      : output_of(ids[i]).substr(0, 2500);
          rows.push_back({{"CommandId", input["CommandId"]},
                          {"InstanceId", ids[i]},
                          {"RequestedDateTime", requested},
                          {"Status", refused || failed ? "Failed" : "Success"},
                          {"StatusDetails", refused || failed ? "Failed" : "Success"},
                          {"CommandPlugins",
                           {{{"ResponseCode", refused ? 2 : (failed ? 1 : 0)},
                             {"ResponseStartDateTime", requested},
                             {"ResponseFinishDateTime", requested + (refused ? 0 : run_seconds)},
                             {"Output", output}}}}});
        }
        json out = {{"CommandInvocations", rows}};
        if (from + page < ids.size()) out["NextToken"] = std::to_string(from + page);
        return out;
      }
      if (op == "CancelCommand") {
        cancelled.push_back(input);
        for (const auto& id : input["InstanceIds"]) {
          if (pending.erase(id.get<std::string>()) > 0) withdrawn.insert(id.get<std::string>());
        }
        return json::object();
      }
      if (op == "GetCommandInvocation") {
        return {{"Status", "Success"},
                {"StatusDetails", "Success"},
                {"ResponseCode", 0},
                {"ExecutionStartDateTime", "x"},
                {"StandardOutputContent", output_of(input["InstanceId"])}};
      }
      throw aws::AwsError("UnknownOperationException", std::string(op));
    };
  }
  int count(const std::string& op) const {
    return static_cast<int>(std::count(calls.begin(), calls.end(), op));
  }

 private:
  std::set<std::string> withdrawn;
  std::string output_of(const std::string& id) const {
    const std::string noise = cut.contains(id) ? std::string(3000, '.') + "\n" : "";
    return noise + json{{"instance", id}}.dump() + "\n";
  }
};

struct BatchWorld {
  ScriptedFleetSsm ssm;
  core::VirtualClock clock;
  std::atomic<bool> interrupted{false};
  std::unique_ptr<SsmTransport> transport;
  std::vector<core::Host> hosts;
  explicit BatchWorld(int n) {
    ssm.fleet_size = n;
    for (int i = 0; i < n; ++i) hosts.push_back(host(i));
  }
  void make_transport() {
    SsmTransportOptions options;
    options.agent_path = "/usr/local/bin/drover-agent";
    options.poll_interval = std::chrono::seconds(1);
    transport = std::make_unique<SsmTransport>(ssm.call(), clock, interrupted, options,
                                               body_call_of(ssm.call()));
    transport->preflight(hosts);
  }
  std::vector<core::AgentResult> run(
      const std::function<core::AgentCall(const core::Host&)>& call_for) {
    make_transport();
    std::vector<core::AgentCall> calls;
    for (const auto& h : hosts) calls.push_back(call_for(h));
    return core::run_together(*transport->call_group(), hosts, calls);
  }
};

core::AgentCall status_of(const core::Host& h) {
  return {{"status", "--bots", std::to_string(h.bots.front()), "--login-probe", "health"},
          std::chrono::seconds(60)};
}

TEST(SsmCallGroup, OneCommandPerFiftyInstancesEachWithItsOwnBots) {
  BatchWorld w(60);
  auto results = w.run(status_of);
  ASSERT_EQ(results.size(), 60u);
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(results[i].status, core::TransportStatus::ok) << results[i].detail;
    EXPECT_EQ(core::parsed_report(results[i])["instance"], instance(i))
        << "results keep the hosts' order";
  }
  ASSERT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.sent[0]["InstanceIds"].size(), 50u);
  EXPECT_EQ(w.ssm.sent[1]["InstanceIds"].size(), 10u);
  const auto line = w.ssm.sent[1]["Parameters"]["commands"][0].get<std::string>();
  EXPECT_EQ(line, "/usr/local/bin/drover-agent status --instance-bots '" + instance(50) + "=1050;" +
                      instance(51) + "=1051;" + instance(52) + "=1052;" + instance(53) + "=1053;" +
                      instance(54) + "=1054;" + instance(55) + "=1055;" + instance(56) + "=1056;" +
                      instance(57) + "=1057;" + instance(58) + "=1058;" + instance(59) +
                      "=1059' --login-probe health");
  // One poll: 3 pages of 20 for the first command, 1 for the second; no per-host calls.
  EXPECT_EQ(w.ssm.count("ListCommandInvocations"), 4);
  EXPECT_EQ(w.ssm.count("GetCommandInvocation"), 0);
}

TEST(SsmCallGroup, ACutOutputIsAskedForWhole) {
  BatchWorld w(3);
  w.ssm.cut = {instance(1)};
  auto results = w.run(status_of);
  EXPECT_EQ(results[1].status, core::TransportStatus::ok) << results[1].detail;
  EXPECT_EQ(core::parsed_report(results[1])["instance"], instance(1));
  EXPECT_EQ(w.ssm.count("GetCommandInvocation"), 1);
}

TEST(SsmCallGroup, AHostSsmCannotReachIsAnsweredWithoutACommand) {
  BatchWorld w(3);
  w.ssm.offline = {instance(2)};
  auto results = w.run(status_of);
  EXPECT_EQ(results[2].status, core::TransportStatus::unreachable);
  EXPECT_NE(results[2].detail.find("ConnectionLost"), std::string::npos);
  ASSERT_EQ(w.ssm.count("SendCommand"), 1);
  EXPECT_EQ(w.ssm.sent[0]["InstanceIds"], json::array({instance(0), instance(1)}));
  EXPECT_EQ(results[0].status, core::TransportStatus::ok);
}

// Issue 11, point 6: drover's own shortage is never an unreachable host.
TEST(SsmCallGroup, ACommandThisMachineCannotSendIsOutOfResourcesNotUnreachable) {
  BatchWorld w(2);
  w.ssm.out_of_descriptors = true;
  auto results = w.run(status_of);
  for (const auto& result : results) {
    EXPECT_EQ(result.status, core::TransportStatus::out_of_resources) << result.detail;
    EXPECT_NE(result.detail.find("file descriptors"), std::string::npos) << result.detail;
  }
  EXPECT_EQ(w.ssm.count("SendCommand"), 1) << "not retried: nothing reached AWS";
}

TEST(SsmCallGroup, CallsThatDifferBeyondTheirBotsGoAsCommandsOfTheirOwn) {
  BatchWorld w(3);
  auto results = w.run([](const core::Host& h) {
    auto call = status_of(h);
    if (h.name == "host-1") call.args.back() = "log:ready";
    return call;
  });
  ASSERT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.sent[0]["InstanceIds"], json::array({instance(0), instance(2)}));
  // A call alone in its shape keeps its --bots (an agent older than --instance-bots runs it).
  EXPECT_EQ(w.ssm.sent[1]["Parameters"]["commands"][0],
            "/usr/local/bin/drover-agent status --bots 1001 --login-probe log:ready");
  for (const auto& result : results) EXPECT_EQ(result.status, core::TransportStatus::ok);
  // The same arguments for every host (`version`) are one command without a map.
  w.run([](const core::Host&) { return core::AgentCall{{"version"}, std::chrono::seconds(60)}; });
  EXPECT_EQ(w.ssm.sent.back()["Parameters"]["commands"][0], "/usr/local/bin/drover-agent version");
}

// --allow-drift over another agent build: that host's agent may not read --instance-bots, so
// its call goes as a command of its own with --bots; the others are still batched.
TEST(SsmCallGroup, AHostRunningAnotherAgentBuildGetsItsOwnCommandWithItsBots) {
  BatchWorld w(3);
  w.make_transport();
  w.transport->expect_other_agent_builds({"host-1"});
  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  const auto results = core::run_together(*w.transport->call_group(), w.hosts, calls);
  for (const auto& result : results) EXPECT_EQ(result.status, core::TransportStatus::ok);
  ASSERT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.sent[0]["InstanceIds"], json::array({instance(0), instance(2)}));
  EXPECT_NE(w.ssm.sent[0]["Parameters"]["commands"][0].get<std::string>().find("--instance-bots"),
            std::string::npos);
  EXPECT_EQ(w.ssm.sent[1]["InstanceIds"], json::array({instance(1)}));
  EXPECT_EQ(w.ssm.sent[1]["Parameters"]["commands"][0],
            "/usr/local/bin/drover-agent status --bots 1001 --login-probe health");
}

TEST(SsmCallGroup, HostsStartedLaterArePolledWithTheOthers) {
  BatchWorld w(4);
  w.ssm.running = {instance(0), instance(1), instance(2), instance(3)};
  w.make_transport();
  auto group = w.transport->call_group();
  group->start({w.hosts[0], w.hosts[1]}, {status_of(w.hosts[0]), status_of(w.hosts[1])});
  EXPECT_TRUE(group->collect(std::chrono::seconds(5)).empty());
  group->start({w.hosts[2]}, {status_of(w.hosts[2])});
  EXPECT_EQ(group->in_flight(), 3u);
  w.ssm.running.erase(instance(0));
  w.ssm.running.erase(instance(2));
  std::set<std::string> ended;
  while (ended.size() < 2) {
    for (const auto& call : group->collect(std::chrono::seconds(5))) ended.insert(call.host);
  }
  EXPECT_EQ(ended, (std::set<std::string>{"host-0", "host-2"}));
  EXPECT_EQ(group->in_flight(), 1u);
  EXPECT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.count("GetCommandInvocation"), 0);
}

// The first poll of a command comes when this deploy's commands have been ending
// (ssm_poll_timing.h): one interval (1 s) after the send until a run time is known, then with
// runs of 2.5 s (SSM's dates) at 2.625 s's phase of the interval, 1.625 s, not 1 s then 2 s.
TEST(SsmCallGroup, TheFirstPollFollowsHowLongTheCommandsThatEndedTook) {
  BatchWorld w(2);
  w.ssm.run_seconds = 2.5;
  w.ssm.clock = &w.clock;
  w.make_transport();
  auto group = w.transport->call_group();
  const auto first_sent = w.clock.now();
  group->start({w.hosts[0]}, {status_of(w.hosts[0])});
  while (group->in_flight() > 0) group->collect(std::chrono::seconds(5));
  ASSERT_EQ(w.ssm.listed_at.size(), 1u);
  EXPECT_EQ(w.ssm.listed_at[0] - first_sent, std::chrono::seconds(1)) << "nothing learned yet";

  const auto second_sent = w.clock.now();
  group->start({w.hosts[1]}, {status_of(w.hosts[1])});
  while (group->in_flight() > 0) group->collect(std::chrono::seconds(5));
  ASSERT_EQ(w.ssm.listed_at.size(), 2u);
  EXPECT_EQ(w.ssm.listed_at[1] - second_sent, std::chrono::milliseconds(1625));
  EXPECT_EQ(w.ssm.count("ListCommandInvocations"), 2) << "each seen ended at its first poll";
}

// Several commands due at once: one ListCommands (since the oldest of them) says which have
// new completions, and only those are listed.
TEST(SsmCallGroup, SeveralCommandsArePolledWithOneListCommands) {
  BatchWorld w(150);
  for (int i = 50; i < 100; ++i) w.ssm.running.insert(instance(i));  // the second command's
  w.make_transport();
  auto group = w.transport->call_group();
  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  group->start(w.hosts, calls);
  ASSERT_EQ(w.ssm.count("SendCommand"), 3);
  std::size_t ended = 0;
  while (ended < 100) ended += group->collect(std::chrono::seconds(5)).size();
  EXPECT_EQ(w.ssm.count("ListCommands"), 1);
  ASSERT_EQ(w.ssm.list_commands_filters.size(), 1u);
  EXPECT_EQ(w.ssm.list_commands_filters[0],
            json::parse(R"([{"key": "InvokedAfter", "value": "2027-01-15T08:00:00Z"}])"))
      << "a second before the oldest command's RequestedDateTime (1.8e9 + 1)";
  EXPECT_EQ(w.ssm.listed_commands, (std::vector<std::string>{"cmd-1", "cmd-3"}))
      << "the command with nothing completed is not listed";
  w.ssm.running.clear();
  while (group->in_flight() > 0) group->collect(std::chrono::seconds(5));
  EXPECT_EQ(w.ssm.listed_commands.back(), "cmd-2");
}

// 1,000 hosts ending in one poll are handed over 500 at a time; the second collect goes on with
// the round's ListCommands instead of asking again (a page is some 5 KB a command).
TEST(SsmCallGroup, ARoundHandedOverInSeveralCollectsAsksListCommandsOnce) {
  BatchWorld w(1000);
  const auto results = w.run(status_of);
  ASSERT_EQ(results.size(), 1000u);
  for (const auto& result : results) {
    EXPECT_EQ(result.status, core::TransportStatus::ok);
  }
  EXPECT_EQ(w.ssm.count("SendCommand"), 20);
  EXPECT_EQ(w.ssm.count("ListCommands"), 1);
  EXPECT_EQ(w.ssm.listed_commands.size(), 20u) << "each command listed once";
}

// The shared poll reads no ListCommands page past the one where the last due command was seen.
TEST(SsmCallGroup, TheSharedPollStopsPagingOnceEveryDueCommandIsSeen) {
  BatchWorld w(250);
  w.ssm.commands_page = 3;
  w.make_transport();
  std::vector<core::AgentCall> calls;
  calls.reserve(250);
  for (int i = 0; i < 100; ++i) {
    calls.push_back(status_of(w.hosts[i]));
  }
  core::run_together(*w.transport->call_group(), {w.hosts.begin(), w.hosts.begin() + 100}, calls);
  EXPECT_EQ(w.ssm.count("ListCommands"), 0) << "two commands due: each listed alone";
  calls.clear();
  for (int i = 100; i < 250; ++i) {
    calls.push_back(status_of(w.hosts[i]));
  }
  const auto results =
      core::run_together(*w.transport->call_group(), {w.hosts.begin() + 100, w.hosts.end()}, calls);
  for (const auto& result : results) {
    EXPECT_EQ(result.status, core::TransportStatus::ok);
  }
  EXPECT_EQ(w.ssm.count("ListCommands"), 1) << "the first page holds the 3 due commands";
}

// A command whose invocations end one a round is listed when its successes have waited two
// rounds, not every round (each list reads 50 rows with their output for one new ending), and
// when the last ends; every host is handed over.
TEST(SsmCallGroup, ACommandEndingOneByOneIsListedEveryThirdRoundNotEachRound) {
  BatchWorld w(150);
  for (int i = 0; i < 150; ++i) w.ssm.running.insert(instance(i));
  w.make_transport();
  auto group = w.transport->call_group();
  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  group->start(w.hosts, calls);
  std::vector<std::string> ended;
  for (int round = 0; round < 6; ++round) {
    w.ssm.running.erase(instance(round));  // one more of the first command's ends
    for (const auto& call : group->collect(std::chrono::seconds(5))) ended.push_back(call.host);
  }
  EXPECT_EQ(w.ssm.count("ListCommands"), 6) << "one shared poll a round";
  EXPECT_EQ(w.ssm.listed_commands, (std::vector<std::string>{"cmd-1", "cmd-1"}))
      << "at the third and the sixth round";
  EXPECT_EQ(ended.size(), 6u);
  w.ssm.running.clear();
  while (group->in_flight() > 0) {
    for (const auto& call : group->collect(std::chrono::seconds(5))) ended.push_back(call.host);
  }
  EXPECT_EQ(ended.size(), 150u);
  EXPECT_EQ(w.ssm.listed_commands.size(), 5u) << "then each command once, as it ends whole";
}

// Commands sent one after the other are first polled each at its own time, then join one round:
// from then on one ListCommands a round covers them, and none still running is listed.
TEST(SsmCallGroup, CommandsSentOneAfterTheOtherJoinOneRoundAfterTheirFirstPolls) {
  BatchWorld w(150);
  for (int i = 0; i < 150; ++i) w.ssm.running.insert(instance(i));
  w.make_transport();
  auto group = w.transport->call_group();
  for (int c = 0; c < 3; ++c) {
    std::vector<core::Host> hosts(w.hosts.begin() + 50 * c, w.hosts.begin() + 50 * (c + 1));
    std::vector<core::AgentCall> calls;
    for (const auto& h : hosts) calls.push_back(status_of(h));
    group->start(hosts, calls);
    w.clock.sleep_for(std::chrono::milliseconds(300));  // SendCommand's answer
  }
  for (int collects = 0; collects < 12; ++collects) {
    EXPECT_TRUE(group->collect(std::chrono::seconds(5)).empty());
  }
  // cmd-1, cmd-2, then cmd-1 again with cmd-3 (two due: too few for a shared poll); each on
  // its own every round, as before the rounds were joined, would be 12 or more.
  EXPECT_LE(w.ssm.listed_commands.size(), 4u) << "listed around their first polls only";
  EXPECT_GE(w.ssm.count("ListCommands"), 9) << "then one shared poll a round";
  w.ssm.running.clear();
  const auto first_rounds = w.ssm.count("ListCommands");
  std::size_t ended = 0;
  while (group->in_flight() > 0) ended += group->collect(std::chrono::seconds(5)).size();
  EXPECT_EQ(ended, 150u);
  EXPECT_EQ(w.ssm.count("ListCommands"), first_rounds + 1) << "all three end in one round";
}

// A failure is listed in the round ListCommands shows it (its ErrorCount rose): the rollout's
// error halt does not wait for the held successes' rounds.
TEST(SsmCallGroup, AFailureIsListedInTheRoundItEnds) {
  BatchWorld w(150);
  for (int i = 0; i < 150; ++i) w.ssm.running.insert(instance(i));
  w.ssm.failing = {instance(7)};
  w.make_transport();
  auto group = w.transport->call_group();
  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  group->start(w.hosts, calls);
  w.ssm.running.erase(instance(3));  // a success: held
  EXPECT_TRUE(group->collect(std::chrono::seconds(5)).empty());
  w.ssm.running.erase(instance(7));  // a failure: listed now, with the held success
  std::set<std::string> ended;
  for (const auto& call : group->collect(std::chrono::seconds(5))) {
    ended.insert(call.host);
    if (call.host == "host-7") {
      EXPECT_EQ(call.result.exit_code, 1) << "the agent's exit: a bot not reached";
    }
  }
  EXPECT_EQ(ended, (std::set<std::string>{"host-3", "host-7"}));
  EXPECT_EQ(w.ssm.listed_commands, (std::vector<std::string>{"cmd-1"}));
}

// A command first polled past its timeout whose invocations all ended is not cancelled: there is
// nothing to cancel, and a CancelCommand without InstanceIds would cancel it on every instance.
TEST(SsmCallGroup, ACommandThatEndedIsNotCancelledWhenFirstPolledPastItsTimeout) {
  BatchWorld w(3);
  w.make_transport();
  auto group = w.transport->call_group();
  std::vector<core::AgentCall> calls;
  calls.reserve(w.hosts.size());
  for (const auto& h : w.hosts) {
    calls.push_back(status_of(h));
  }
  group->start(w.hosts, calls);
  w.clock.sleep_for(std::chrono::minutes(10));  // busy sending others, as at 10,000 instances
  std::vector<core::FinishedCall> ended;
  while (group->in_flight() > 0) {
    for (auto& call : group->collect(std::chrono::seconds(5))) {
      ended.push_back(std::move(call));
    }
  }
  ASSERT_EQ(ended.size(), 3u);
  for (const auto& call : ended) {
    EXPECT_EQ(call.result.status, core::TransportStatus::ok);
  }
  EXPECT_TRUE(w.ssm.cancelled.empty()) << w.ssm.cancelled.size() << " CancelCommand sent";
}

TEST(SsmCallGroup, AnInterruptCancelsOnlyTheInstancesThatHaveNotStarted) {
  BatchWorld w(3);
  w.ssm.running = {instance(0)};
  w.ssm.pending = {instance(1), instance(2)};
  w.make_transport();
  auto group = w.transport->call_group();
  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  group->start(w.hosts, calls);
  EXPECT_TRUE(group->collect(std::chrono::seconds(5)).empty());
  w.interrupted = true;
  std::map<std::string, core::AgentResult> ended;
  while (ended.size() < 2) {
    for (auto& call : group->collect(std::chrono::seconds(5))) ended[call.host] = call.result;
  }
  ASSERT_EQ(w.ssm.cancelled.size(), 1u);
  EXPECT_EQ(w.ssm.cancelled[0]["InstanceIds"], json::array({instance(1), instance(2)}));
  for (const auto* name : {"host-1", "host-2"}) {
    EXPECT_EQ(ended[name].status, core::TransportStatus::unreachable) << ended[name].detail;
  }
  // The one that runs is left to finish, and is reported as it ends.
  w.ssm.running.clear();
  std::vector<core::FinishedCall> last;
  while (last.empty()) last = group->collect(std::chrono::seconds(5));
  EXPECT_EQ(last.front().host, "host-0");
  EXPECT_EQ(last.front().result.status, core::TransportStatus::ok);
  EXPECT_EQ(group->in_flight(), 0u);
}

}  // namespace
}  // namespace drover::transport

namespace drover::transport {
namespace {

// An agent older than --instance-bots refuses a batched status before it does anything (exit
// 2). `drover verify` has no preflight to know such hosts first: the host is asked again alone,
// with --bots, and the rest of the transport's calls to it go alone from the start.
TEST(SsmCallGroup, AnAgentThatRefusesABatchedStatusIsAskedAgainAloneWithItsBots) {
  BatchWorld w(3);
  w.ssm.old_agent = {instance(1)};
  const auto results = w.run(status_of);
  ASSERT_EQ(results.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results[i].status, core::TransportStatus::ok) << results[i].detail;
    EXPECT_EQ(core::parsed_report(results[i])["instance"], instance(i));
  }
  ASSERT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.sent[1]["InstanceIds"], json::array({instance(1)}));
  EXPECT_EQ(w.ssm.sent[1]["Parameters"]["commands"][0],
            "/usr/local/bin/drover-agent status --bots 1001 --login-probe health");

  std::vector<core::AgentCall> calls;
  for (const auto& h : w.hosts) calls.push_back(status_of(h));
  const auto again = core::run_together(*w.transport->call_group(), w.hosts, calls);
  for (const auto& result : again) EXPECT_EQ(result.status, core::TransportStatus::ok);
  ASSERT_EQ(w.ssm.count("SendCommand"), 4) << "host-1 alone at once, no refused batch first";
  EXPECT_EQ(w.ssm.sent[2]["InstanceIds"], json::array({instance(0), instance(2)}));
  EXPECT_EQ(w.ssm.sent[3]["InstanceIds"], json::array({instance(1)}));
}

// A swap is never sent twice for a host (issue 11, point 5): a refused batched swap is reported.
TEST(SsmCallGroup, ARefusedBatchedSwapIsReportedAndNotSentAgain) {
  BatchWorld w(3);
  w.ssm.old_agent = {instance(1)};
  const auto results = w.run([](const core::Host& h) {
    return core::AgentCall{{"swap", "--bots", std::to_string(h.bots.front()), "--image", "x"},
                           std::chrono::seconds(60)};
  });
  EXPECT_EQ(results[0].status, core::TransportStatus::ok);
  EXPECT_EQ(results[2].status, core::TransportStatus::ok);
  EXPECT_EQ(results[1].status, core::TransportStatus::agent_failed);
  EXPECT_NE(results[1].detail.find("refused its arguments (exit 2)"), std::string::npos)
      << results[1].detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 1);
}

// Ctrl-C stops new commands: a status refused after it is reported, not asked again.
TEST(SsmCallGroup, AfterTheInterruptARefusedBatchedStatusIsNotAskedAgain) {
  BatchWorld w(3);
  w.ssm.old_agent = {instance(1)};
  w.interrupted = true;
  const auto results = w.run(status_of);
  EXPECT_EQ(results[1].status, core::TransportStatus::agent_failed) << results[1].detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 1);
}

}  // namespace
}  // namespace drover::transport
