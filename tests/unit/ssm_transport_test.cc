// The ssm transport's conversation with SSM (transport/ssm/ssm_transport.h), against scripted
// answers on a virtual clock: offline hosts get no command, InvocationDoesNotExist is waited
// out, an interrupt cancels only what has not started, a timeout cancels.
#include "transport/ssm/ssm_transport.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "aws/aws_error.h"
#include "core/virtual_clock.h"
#include "support/fixed_random.h"

namespace drover::transport {
namespace {

using nlohmann::json;

const core::Host kHost{"host-1", "i-0123456789abcdef0", {539}, core::HostGroup::production};
const core::Host kOffline{"host-2", "i-0223456789abcdef0", {540}, core::HostGroup::production};
constexpr const char* kCommandId = "11111111-2222-3333-4444-555555555555";

// A scripted SSM: instance states, then GetCommandInvocation answers in order (the last one
// repeats). Records every call.
class ScriptedSsm {
 public:
  std::vector<std::string> calls;
  std::vector<json> inputs;
  std::deque<json> invocations;  // a json with "error" throws that AwsError code
  std::atomic<bool>* interrupt_on_first_poll = nullptr;
  // SendCommand's failures in order: an AwsError, thrown before or after SSM created it.
  struct SendFailure {
    std::string code;
    long status = 0;
    bool created = false;
  };
  std::deque<SendFailure> send_failures;
  std::vector<json> created;  // the commands SSM holds, oldest first
  bool list_commands_error = false;

  AwsJsonCall call() {
    return [this](std::string_view op, const json& input) -> json {
      std::lock_guard lock(mutex_);
      calls.emplace_back(op);
      inputs.push_back(input);
      if (op == "DescribeInstanceInformation") {
        return {{"InstanceInformationList",
                 {{{"InstanceId", kHost.address.value()}, {"PingStatus", "Online"}},
                  {{"InstanceId", kOffline.address.value()}, {"PingStatus", "ConnectionLost"}}}}};
      }
      if (op == "SendCommand") {
        auto failure = send_failures.empty() ? SendFailure{} : send_failures.front();
        if (!send_failures.empty()) send_failures.pop_front();
        const std::string id =
            std::string(kCommandId).substr(0, 35) + std::to_string(count(std::string(op)));
        if (!failure.code.empty() && !failure.created) {
          throw aws::AwsError(failure.code, "no answer", failure.status);
        }
        created.push_back({{"CommandId", id}, {"Comment", input["Comment"]}});
        if (!failure.code.empty()) throw aws::AwsError(failure.code, "no answer", failure.status);
        return {{"Command", {{"CommandId", id}}}};
      }
      if (op == "ListCommands") {
        if (list_commands_error) throw aws::AwsError("AccessDeniedException", "not ListCommands");
        json newest_first = json::array();
        for (auto it = created.rbegin(); it != created.rend(); ++it) newest_first.push_back(*it);
        return {{"Commands", newest_first}};
      }
      if (op == "CancelCommand") {
        cancelled = true;
        return json::object();
      }
      if (op == "GetCommandInvocation") {
        if (interrupt_on_first_poll) interrupt_on_first_poll->store(true);
        auto next = invocations.front();
        if (invocations.size() > 1) invocations.pop_front();
        if (cancelled && next.value("Status", "") == "Pending") {
          next = {{"Status", "Cancelled"}, {"StatusDetails", "Cancelled"}};
        }
        if (next.contains("error")) throw aws::AwsError(next["error"].get<std::string>(), "");
        return next;
      }
      throw aws::AwsError("UnknownOperationException", std::string(op));
    };
  }
  int count(const std::string& op) const {
    return static_cast<int>(std::count(calls.begin(), calls.end(), op));
  }
  bool cancelled = false;

 private:
  std::mutex mutex_;
};

json success(const std::string& out) {
  return {{"Status", "Success"},
          {"StatusDetails", "Success"},
          {"ResponseCode", 0},
          {"ExecutionStartDateTime", "2026-01-01T00:00:00.000Z"},
          {"StandardOutputContent", out},
          {"StandardErrorContent", "swapping\n"}};
}

struct World {
  ScriptedSsm ssm;
  core::VirtualClock clock;
  std::atomic<bool> interrupted{false};
  SsmTransportOptions options;
  std::unique_ptr<SsmTransport> transport;
  void start() {
    options.agent_path = "/opt/drover agent";
    options.poll_interval = std::chrono::seconds(1);
    transport = std::make_unique<SsmTransport>(ssm.call(), clock, interrupted, options,
                                               body_call_of(ssm.call()));
    transport->preflight({kHost, kOffline});
  }
};

TEST(SsmTransport, RunsTheAgentAndWaitsOutInvocationDoesNotExist) {
  World w;
  w.ssm.invocations = {{{"error", "InvocationDoesNotExist"}},
                       {{"Status", "InProgress"}, {"ExecutionStartDateTime", "x"}},
                       success("{\"ok\":1}\n")};
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap", "--bots", "539"}, std::chrono::seconds(60)});
  EXPECT_EQ(r.status, core::TransportStatus::ok) << r.detail;
  EXPECT_EQ(core::parsed_report(r)["ok"], 1);
  EXPECT_EQ(w.ssm.count("DescribeInstanceInformation"), 1) << "preflight is cached";
  EXPECT_EQ(w.ssm.count("GetCommandInvocation"), 3);
  EXPECT_EQ(w.ssm.count("CancelCommand"), 0);
  const auto& sent = w.ssm.inputs[1];
  EXPECT_EQ(sent["Parameters"]["commands"], json::array({"'/opt/drover agent' swap --bots 539"}));
  EXPECT_EQ(sent["TimeoutSeconds"], 60);
  EXPECT_EQ(w.clock.slept(), std::chrono::seconds(3)) << "polled once a second";
}

TEST(SsmTransport, AnOfflineInstanceIsUnreachableWithoutACommand) {
  World w;
  w.ssm.invocations = {success("{}\n")};
  w.start();
  auto r = w.transport->run_agent(kOffline, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("ConnectionLost"), std::string::npos) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 0);
}

TEST(SsmTransport, AnUnmanagedOrMisaddressedHostIsUnreachable) {
  World w;
  w.start();
  core::Host unknown{"host-9", "i-0999999999abcdef0", {541}, core::HostGroup::production};
  auto r = w.transport->run_agent(unknown, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("not an SSM managed node"), std::string::npos) << r.detail;
  core::Host named{"web-1", std::nullopt, {542}, core::HostGroup::production};
  r = w.transport->run_agent(named, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("not an EC2 instance id"), std::string::npos) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 0);
}

TEST(SsmTransport, AnInterruptCancelsACommandThatHasNotStarted) {
  World w;
  w.ssm.invocations = {{{"Status", "Pending"}}};
  w.ssm.interrupt_on_first_poll = &w.interrupted;
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(w.ssm.count("CancelCommand"), 1);
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("interrupt"), std::string::npos) << r.detail;
}

TEST(SsmTransport, AnInterruptLetsARunningAgentFinish) {
  World w;
  w.ssm.invocations = {{{"Status", "InProgress"}, {"ExecutionStartDateTime", "x"}},
                       {{"Status", "InProgress"}, {"ExecutionStartDateTime", "x"}},
                       success("{\"done\":true}\n")};
  w.ssm.interrupt_on_first_poll = &w.interrupted;
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(w.ssm.count("CancelCommand"), 0);
  EXPECT_EQ(r.status, core::TransportStatus::ok) << r.detail;
}

TEST(SsmTransport, ACommandStillPendingAfterTheTimeoutIsCancelled) {
  World w;
  w.ssm.invocations = {{{"Status", "Pending"}}};
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(w.ssm.count("CancelCommand"), 1);
  EXPECT_EQ(r.status, core::TransportStatus::unreachable) << r.detail;
  EXPECT_GE(w.clock.slept(), std::chrono::seconds(60));
}

TEST(SsmTransport, ARefusedSendCommandIsUnreachableWithTheAwsCode) {
  World w;
  w.start();
  AwsJsonCall refusing = [&](std::string_view op, const json& input) -> json {
    if (op == "SendCommand")
      throw aws::AwsError("InvalidInstanceId", "Instances not in a valid state");
    return w.ssm.call()(op, input);
  };
  SsmTransport transport(refusing, w.clock, w.interrupted, w.options, body_call_of(refusing));
  auto r = transport.run_agent(kHost, {{"version"}, std::chrono::seconds(30)});
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("InvalidInstanceId: Instances not in a valid state"), std::string::npos)
      << r.detail;
}

TEST(SsmTransport, PreflightRefusedByAwsThrows) {
  core::VirtualClock clock;
  std::atomic<bool> interrupted{false};
  AwsJsonCall refusing = [](std::string_view, const json&) -> json {
    throw aws::AwsError("UnrecognizedClientException", "The security token is invalid");
  };
  SsmTransport transport(refusing, clock, interrupted, {}, body_call_of(refusing));
  EXPECT_THROW(transport.preflight({kHost}), aws::AwsError);
}

TEST(SsmTransport, InstallAgentWithoutAUrlSaysWhereToSetIt) {
  World w;
  w.start();
  auto r = w.transport->install_agent(kHost, {"/bin/agent", std::string(64, 'a'), ""});
  EXPECT_EQ(r.status, core::TransportStatus::agent_failed);
  EXPECT_NE(r.detail.find("agent_url"), std::string::npos) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 0);
}

TEST(SsmTransport, InstallAgentMapsAChecksumMismatch) {
  World w;
  w.ssm.invocations = {{{"Status", "Failed"},
                        {"StatusDetails", "Failed"},
                        {"ResponseCode", 92},
                        {"ExecutionStartDateTime", "x"}}};
  w.start();
  auto r = w.transport->install_agent(
      kHost, {"/bin/agent", std::string(64, 'a'), "https://example.com/drover-agent"});
  EXPECT_EQ(r.status, core::TransportStatus::agent_failed);
  EXPECT_NE(r.detail.find("sha256"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("nothing was replaced"), std::string::npos) << r.detail;
}

TEST(SsmTransport, AnUnansweredSendCommandThatSsmCreatedIsFollowedNotSentAgain) {
  World w;
  w.ssm.send_failures = {{"EndpointUnreachable", 0, true}};
  w.ssm.invocations = {success("{\"ok\":1}\n")};
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(r.status, core::TransportStatus::ok) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 1) << "a second send would run a second agent";
  EXPECT_EQ(w.ssm.count("ListCommands"), 1);
  ASSERT_EQ(w.ssm.created.size(), 1u);
  const auto polled = w.ssm.inputs.back();
  EXPECT_EQ(polled["CommandId"], w.ssm.created[0]["CommandId"]) << "follows the one SSM holds";
}

TEST(SsmTransport, AnUnansweredSendCommandThatSsmDoesNotHoldIsSentAgainWithTheSameComment) {
  World w;
  w.ssm.send_failures = {{"InternalServerError", 500, false}};
  w.ssm.invocations = {success("{\"ok\":1}\n")};
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(r.status, core::TransportStatus::ok) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 2);
  EXPECT_EQ(w.ssm.count("ListCommands"), 1) << "looked before sending again";
  ASSERT_EQ(w.ssm.created.size(), 1u);
}

TEST(SsmTransport, WhenSsmCannotSayWhetherTheCommandExistsItIsNotSentAgain) {
  World w;
  w.ssm.send_failures = {{"EndpointUnreachable", 0, true}};
  w.ssm.list_commands_error = true;
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(r.status, core::TransportStatus::agent_failed);
  EXPECT_NE(r.detail.find("not sent again"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("#-1"), std::string::npos)
      << "names the comment to look for: " << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 1);
}

TEST(SsmTransport, ASendCommandNeverAnsweredAndNeverCreatedGivesUpAsUnreachable) {
  World w;
  w.ssm.send_failures = {{"EndpointUnreachable", 0, false},
                         {"EndpointUnreachable", 0, false},
                         {"EndpointUnreachable", 0, false}};
  w.start();
  auto r = w.transport->run_agent(kHost, {{"swap"}, std::chrono::seconds(60)});
  EXPECT_EQ(r.status, core::TransportStatus::unreachable);
  EXPECT_NE(r.detail.find("nothing ran"), std::string::npos) << r.detail;
  EXPECT_EQ(w.ssm.count("SendCommand"), 3);
  EXPECT_EQ(w.ssm.count("ListCommands"), 3);
}

TEST(SsmTransport, EveryCommandsCommentIsUniqueAndKeepsItsTokenWhenTheNamesAreLong) {
  World w;
  w.options.run_token = "3f9a12bc";
  w.options.comment = "drover " + std::string(120, 'f');
  w.ssm.invocations = {success("{}\n")};
  w.start();
  w.transport->run_agent(kHost, {{"version"}, std::chrono::seconds(30)});
  w.transport->run_agent(kHost, {{"version"}, std::chrono::seconds(30)});
  ASSERT_EQ(w.ssm.created.size(), 2u);
  const auto first = w.ssm.created[0]["Comment"].get<std::string>();
  const auto second = w.ssm.created[1]["Comment"].get<std::string>();
  EXPECT_LE(first.size(), 100u);
  EXPECT_NE(first, second);
  EXPECT_TRUE(first.ends_with(" #3f9a12bc-1")) << first;
  EXPECT_TRUE(second.ends_with(" #3f9a12bc-2")) << second;
}

}  // namespace
}  // namespace drover::transport
