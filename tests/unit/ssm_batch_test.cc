// SsmTransport::run_batch (transport/ssm/ssm_batch.cc) against a scripted SSM on a virtual
// clock: one SendCommand per 50 instances with each host's bots in --instance-bots, the
// invocation list followed page by page, GetCommandInvocation only for a cut output, hosts SSM
// cannot reach answered without a command, and calls that differ not batched.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "aws/aws_error.h"
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
  std::size_t page = 20;
  int fleet_size = 0;

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
        sent.push_back(input);
        return {{"Command", {{"CommandId", fmt::format("cmd-{}", sent.size())}}}};
      }
      if (op == "ListCommandInvocations") {
        const auto& command =
            sent.at(std::stoul(input["CommandId"].get<std::string>().substr(4)) - 1);
        const auto ids = command["InstanceIds"].get<std::vector<std::string>>();
        const std::size_t from =
            input.contains("NextToken") ? std::stoul(input["NextToken"].get<std::string>()) : 0;
        json rows = json::array();
        for (std::size_t i = from; i < std::min(ids.size(), from + page); ++i) {
          rows.push_back({{"CommandId", input["CommandId"]},
                          {"InstanceId", ids[i]},
                          {"Status", "Success"},
                          {"StatusDetails", "Success"},
                          {"CommandPlugins",
                           {{{"ResponseCode", 0},
                             {"ResponseStartDateTime", 1.0},
                             {"Output", output_of(ids[i]).substr(0, 2500)}}}}});
        }
        json out = {{"CommandInvocations", rows}};
        if (from + page < ids.size()) out["NextToken"] = std::to_string(from + page);
        return out;
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
  std::optional<std::vector<core::AgentResult>> run(
      const std::function<core::AgentCall(const core::Host&)>& call_for) {
    SsmTransportOptions options;
    options.agent_path = "/usr/local/bin/drover-agent";
    options.poll_interval = std::chrono::seconds(1);
    transport = std::make_unique<SsmTransport>(ssm.call(), clock, interrupted, options);
    transport->preflight(hosts);
    return transport->run_batch(hosts, call_for);
  }
};

core::AgentCall status_of(const core::Host& h) {
  return {{"status", "--bots", std::to_string(h.bots.front()), "--login-probe", "health"},
          std::chrono::seconds(60)};
}

TEST(SsmBatch, OneCommandPerFiftyInstancesEachWithItsOwnBots) {
  BatchWorld w(60);
  auto results = w.run(status_of);
  ASSERT_TRUE(results.has_value());
  ASSERT_EQ(results->size(), 60u);
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ((*results)[i].status, core::TransportStatus::ok) << (*results)[i].detail;
    EXPECT_EQ((*results)[i].report["instance"], instance(i)) << "results keep the hosts' order";
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

TEST(SsmBatch, ACutOutputIsAskedForWhole) {
  BatchWorld w(3);
  w.ssm.cut = {instance(1)};
  auto results = w.run(status_of);
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ((*results)[1].status, core::TransportStatus::ok) << (*results)[1].detail;
  EXPECT_EQ((*results)[1].report["instance"], instance(1));
  EXPECT_EQ(w.ssm.count("GetCommandInvocation"), 1);
}

TEST(SsmBatch, AHostSsmCannotReachIsAnsweredWithoutACommand) {
  BatchWorld w(3);
  w.ssm.offline = {instance(2)};
  auto results = w.run(status_of);
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ((*results)[2].status, core::TransportStatus::unreachable);
  EXPECT_NE((*results)[2].detail.find("ConnectionLost"), std::string::npos);
  ASSERT_EQ(w.ssm.count("SendCommand"), 1);
  EXPECT_EQ(w.ssm.sent[0]["InstanceIds"], json::array({instance(0), instance(1)}));
  EXPECT_EQ((*results)[0].status, core::TransportStatus::ok);
}

TEST(SsmBatch, CallsThatDifferBeyondTheirBotsAreNotBatched) {
  BatchWorld w(2);
  auto results = w.run([](const core::Host& h) {
    auto call = status_of(h);
    if (h.name == "host-1") call.args.back() = "log:ready";
    return call;
  });
  EXPECT_FALSE(results.has_value());
  EXPECT_EQ(w.ssm.count("SendCommand"), 0);
  // The same arguments for every host (`version`) are one command without a map.
  auto versions = w.run([](const core::Host&) {
    return core::AgentCall{{"version"}, std::chrono::seconds(60)};
  });
  ASSERT_TRUE(versions.has_value());
  EXPECT_EQ(w.ssm.sent.back()["Parameters"]["commands"][0], "/usr/local/bin/drover-agent version");
}

}  // namespace
}  // namespace drover::transport
