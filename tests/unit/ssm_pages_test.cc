// The streaming readers of SSM's large pages (transport/ssm/ssm_pages.h): the members drover
// uses, at the places the SSM service model puts them, and nothing from elsewhere in a row.
#include "transport/ssm/ssm_pages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "aws/aws_error.h"

namespace drover::transport {
namespace {

using nlohmann::json;

// The botocore model subset (../shared/data/aws): every member a fixture below uses must be one
// of its shape's members, so the fixtures are shaped as SSM answers are.
const json& model_shapes() {
  static const json shapes = [] {
    std::ifstream in(std::filesystem::path(DROVER_SHARED_DATA_DIR) / "aws" /
                     "ssm-2014-11-06-subset.json");
    return json::parse(in)["shapes"];
  }();
  return shapes;
}

void expect_members_of(const json& object, const std::string& shape) {
  const auto& members = model_shapes().at(shape).at("members");
  for (const auto& [name, value] : object.items()) {
    EXPECT_TRUE(members.contains(name)) << name << " is not a member of " << shape;
  }
}

json plugin(const std::string& output, const json& started, int code = 0) {
  json p = {{"Name", "aws:runShellScript"}, {"Status", "Success"}, {"StatusDetails", "Success"},
            {"ResponseCode", code},         {"Output", output},    {"StandardOutputUrl", ""},
            {"OutputS3Region", "eu-west-1"}};
  if (!started.is_null()) {
    p["ResponseStartDateTime"] = started;
  }
  expect_members_of(p, "CommandPlugin");
  return p;
}

json invocation(const std::string& instance, const std::string& status, json plugins) {
  json row = {
      {"CommandId", "c-1"},
      {"InstanceId", instance},
      {"InstanceName", ""},
      {"Comment", "drover prod swap 2 hosts"},
      {"DocumentName", "AWS-RunShellScript"},
      {"RequestedDateTime", 1764590000.25},
      {"Status", status},
      {"StatusDetails", status},
      {"TraceOutput", "Output of another kind"},
      {"CommandPlugins", std::move(plugins)},
      {"NotificationConfig", {{"NotificationArn", ""}, {"NotificationEvents", json::array()}}},
      {"CloudWatchOutputConfig", {{"CloudWatchOutputEnabled", false}}}};
  expect_members_of(row, "CommandInvocation");
  return row;
}

TEST(SsmPages, AnInvocationsPageKeepsEachRowsStatusAndItsFirstPluginsOutput) {
  const json page = {
      {"CommandInvocations",
       {invocation("i-0a", "Success",
                   {plugin("{\"bots\":[]}\n----------ERROR-------\nstep 1\n", 1764590001.5, 0),
                    plugin("a second plugin, never read", 1764590002, 7)}),
        invocation("i-0b", "Pending", json::array()),
        invocation("i-0c", "InProgress", {plugin("", nullptr, -1)})}},
      {"NextToken", "page-2"}};
  expect_members_of(page, "ListCommandInvocationsResult");

  const auto read = read_invocations_page(page.dump());

  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_EQ(read.next_token, "page-2");
  const auto& done = read.rows[0];
  EXPECT_EQ(done.instance_id, "i-0a");
  EXPECT_EQ(done.seen.invocation.status, "Success");
  EXPECT_EQ(done.seen.invocation.status_details, "Success");
  EXPECT_EQ(done.seen.invocation.response_code, 0);
  EXPECT_TRUE(done.seen.invocation.started);
  EXPECT_EQ(done.seen.invocation.stdout_content, "{\"bots\":[]}");
  EXPECT_EQ(done.seen.invocation.stderr_content, "step 1\n");
  EXPECT_TRUE(done.seen.complete);

  const auto& waiting = read.rows[1];
  EXPECT_EQ(waiting.instance_id, "i-0b");
  EXPECT_EQ(waiting.seen.invocation.status, "Pending");
  EXPECT_FALSE(waiting.seen.invocation.started);
  EXPECT_TRUE(waiting.seen.complete);  // nothing to read from a run that has not ended

  const auto& running = read.rows[2];
  EXPECT_EQ(running.seen.invocation.response_code, -1);
  EXPECT_FALSE(running.seen.invocation.started);  // no ResponseStartDateTime yet
  EXPECT_EQ(running.seen.invocation.stdout_content, "");
}

TEST(SsmPages, AnOutputAsLongAsTheListsLimitMayBeCutSoTheRowIsNotComplete) {
  const std::string whole(kSsmListedOutputLimit - 1, 'x');
  const std::string cut(kSsmListedOutputLimit, 'x');
  const json page = {{"CommandInvocations",
                      {invocation("i-0a", "Success", {plugin(whole, 1764590001)}),
                       invocation("i-0b", "Success", {plugin(cut, 1764590001)}),
                       invocation("i-0c", "Success", json::array())}}};

  const auto read = read_invocations_page(page.dump());

  ASSERT_EQ(read.rows.size(), 3u);
  EXPECT_TRUE(read.rows[0].seen.complete);
  EXPECT_FALSE(read.rows[1].seen.complete);
  EXPECT_EQ(read.rows[1].seen.invocation.stdout_content, cut);
  // Ended without a plugin in the list: its output has to be asked for on its own.
  EXPECT_FALSE(read.rows[2].seen.complete);
  EXPECT_TRUE(read.next_token.empty());
}

TEST(SsmPages, ARowKeepsWhenItWasRequestedAndWhenItsPluginFinished) {
  auto ended = plugin("{}", 1764590001.5);
  ended["ResponseFinishDateTime"] = 1764590003.75;
  auto iso = plugin("{}", "2025-12-01T12:00:01Z");
  iso["ResponseFinishDateTime"] = "2025-12-01T12:00:04.5Z";  // another encoder's timestamp
  auto odd = plugin("{}", 1764590001);
  odd["ResponseFinishDateTime"] = true;  // neither a number nor a date: not a finish
  const json page = {{"CommandInvocations",
                      {invocation("i-0a", "Success", {ended}), invocation("i-0b", "Success", {iso}),
                       invocation("i-0c", "InProgress", {plugin("", 1764590001)}),
                       invocation("i-0d", "Success", {odd})}}};

  const auto read = read_invocations_page(page.dump());

  ASSERT_EQ(read.rows.size(), 4u);
  EXPECT_DOUBLE_EQ(read.rows[0].requested, 1764590000.25);
  EXPECT_DOUBLE_EQ(read.rows[0].finished, 1764590003.75);
  EXPECT_DOUBLE_EQ(read.rows[1].finished, 1764590404.5);
  EXPECT_EQ(read.rows[2].finished, 0);  // still running
  EXPECT_EQ(read.rows[3].finished, 0);
}

TEST(SsmPages, ACommandsPageKeepsEachCommandsIdAndCompletedCountOnly) {
  json command = {{"CommandId", "c-1"},
                  {"DocumentName", "AWS-RunShellScript"},
                  {"Comment", "drover prod swap 50 hosts"},
                  {"Parameters",
                   {{"commands", {"drover-agent swap --instance-bots 'i-0a=1;i-0b=2'"}},
                    {"CommandId", {"not this one"}}}},
                  {"InstanceIds", {"i-0a", "i-0b"}},
                  {"RequestedDateTime", 1764590000.5},
                  {"Status", "InProgress"},
                  {"TargetCount", 2},
                  {"CompletedCount", 1},
                  {"ErrorCount", 0},
                  {"NotificationConfig", {{"NotificationArn", ""}}}};
  expect_members_of(command, "Command");
  json second = command;
  second["CommandId"] = "c-2";
  second["CompletedCount"] = 50;
  second["ErrorCount"] = 2;
  second["DeliveryTimedOutCount"] = 1;
  const json page = {{"Commands", {command, second}}, {"NextToken", "more"}};
  expect_members_of(page, "ListCommandsResult");

  const auto read = read_commands_page(page.dump());

  ASSERT_EQ(read.commands.size(), 2u);
  EXPECT_EQ(read.commands[0], (ListedCommand{"c-1", 1, 0}));
  EXPECT_EQ(read.commands[1], (ListedCommand{"c-2", 50, 3})) << "failed and undelivered";
  EXPECT_EQ(read.next_token, "more");
}

TEST(SsmPages, AnInstancesPageKeepsTheManagedNodesWithAnId) {
  json online = {{"InstanceId", "i-0a"},
                 {"PingStatus", "Online"},
                 {"LastPingDateTime", 1764590000.5},
                 {"AgentVersion", "3.3.40.0"},
                 {"IsLatestVersion", true},
                 {"PlatformType", "Linux"},
                 {"PlatformName", "Debian GNU/Linux"},
                 {"PlatformVersion", "12"},
                 {"ComputerName", "bot-host-1"},
                 {"AssociationOverview", {{"DetailedStatus", "Success"}}}};
  expect_members_of(online, "InstanceInformation");
  json nameless = online;
  nameless.erase("InstanceId");
  const json page = {{"InstanceInformationList", {online, nameless}}};
  expect_members_of(page, "DescribeInstanceInformationResult");

  const auto read = read_instances_page(page.dump());

  ASSERT_EQ(read.instances.size(), 1u);
  const auto& node = read.instances[0];
  EXPECT_EQ(node.instance_id, "i-0a");
  EXPECT_EQ(node.ping_status, "Online");
  EXPECT_EQ(node.computer_name, "bot-host-1");
  EXPECT_EQ(node.platform, "Debian GNU/Linux 12");
  EXPECT_EQ(node.agent_version, "3.3.40.0");
  EXPECT_TRUE(read.next_token.empty());
}

TEST(SsmPages, EscapedTextIsReadAsItsCharactersAndMembersOfAnotherTypeAreIgnored) {
  // A report line as the agent prints it: JSON with quotes, a newline, and non-ASCII names.
  const std::string report = "{\"bots\":[{\"name\":\"bot-\u00e9t\u00e9 \\\"x\\\"\"}]}\n";
  json odd = invocation("i-0b", "Success", {plugin("out", 1764590001)});
  odd["InstanceId"] = 42;                             // not a string: left empty
  odd["CommandPlugins"][0]["ResponseCode"] = "zero";  // not a number: the default
  odd["CommandPlugins"][0]["ResponseStartDateTime"] = "2026-12-01T18:00:00Z";  // ISO text
  const json page = {
      {"CommandInvocations", {invocation("i-0a", "Success", {plugin(report, 1764590001)}), odd, 7}},
      {"NextToken", nullptr}};

  const auto read = read_invocations_page(page.dump());

  ASSERT_EQ(read.rows.size(), 2u);  // the 7 is not a row
  EXPECT_EQ(read.rows[0].seen.invocation.stdout_content, report);
  EXPECT_EQ(read.rows[1].instance_id, "");
  EXPECT_EQ(read.rows[1].seen.invocation.response_code, -1);
  EXPECT_TRUE(read.rows[1].seen.invocation.started);
  EXPECT_EQ(read.rows[1].seen.invocation.stdout_content, "out");
  EXPECT_TRUE(read.next_token.empty());
}

TEST(SsmPages, ASendCommandAnswerGivesTheIdAndTimeOutOfTheEchoedCommand) {
  json parameters = {{"commands",
                      {"set -e", "exec /usr/local/bin/drover-agent swap \\",
                       "  --instance-bots 'i-0a=539,540;i-0b=541'"}},
                     {"executionTimeout", {"600"}}};
  json command = {{"Parameters", parameters},
                  {"InstanceIds", {"i-0a", "i-0b"}},
                  {"DocumentName", "AWS-RunShellScript"},
                  {"Comment", "drover prod swap #3f9a12bc-7"},
                  {"Status", "Pending"},
                  {"TargetCount", 2},
                  {"CommandId", "0f1e2d3c-aaaa-bbbb-cccc-000000000001"},
                  {"RequestedDateTime", 1764590000.25},
                  {"NotificationConfig", {{"NotificationEvents", json::array()}}}};
  expect_members_of(command, "Command");
  const json answer = {{"Command", command}};
  expect_members_of(answer, "SendCommandResult");

  const auto read = read_send_command_answer(answer.dump());

  EXPECT_EQ(read.command_id, "0f1e2d3c-aaaa-bbbb-cccc-000000000001");
  EXPECT_DOUBLE_EQ(read.requested, 1764590000.25);
  // An answer without the command reads as no id, for the caller to report.
  EXPECT_TRUE(read_send_command_answer("{}").command_id.empty());
  EXPECT_TRUE(read_send_command_answer(R"({"Command": "c-1"})").command_id.empty());
}

TEST(SsmPages, AnAnswerThatIsNotAJsonObjectIsAnInvalidResponse) {
  for (const std::string body :
       {"", "[]", "{\"CommandInvocations\": [", "<html>busy</html>",
        // cut inside a row, inside a string, and after a row
        "{\"CommandInvocations\": [{\"InstanceId\": \"i-0a\", \"Status\": \"Succ",
        "{\"CommandInvocations\": [{\"InstanceId\": \"i-0a\"}, {\"InstanceId\": ",
        "{\"CommandInvocations\": [{\"InstanceId\": \"i-0a\"}"}) {
    try {
      read_invocations_page(body);
      ADD_FAILURE() << "read: " << body;
    } catch (const aws::AwsError& e) {
      EXPECT_EQ(e.code(), "InvalidResponse") << body;
      EXPECT_NE(std::string(e.what()).find("ListCommandInvocations"), std::string::npos);
    }
  }
  EXPECT_THROW(read_commands_page("null"), aws::AwsError);
  EXPECT_THROW(read_instances_page("{\"InstanceInformationList\": [}"), aws::AwsError);
  EXPECT_THROW(read_send_command_answer("{\"Command\": {\"CommandId\": \"c-1\""), aws::AwsError);
  // An empty object is a page without rows.
  EXPECT_TRUE(read_instances_page("{}").instances.empty());
}

}  // namespace
}  // namespace drover::transport
