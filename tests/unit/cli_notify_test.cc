// [notify] webhooks end to end: deploys and rollbacks through the CLI's world post their
// events over real HTTP to local receivers (support/http_receiver.h) that record what they got,
// answer 500, or hang; the deploy's exit code never changes, the failure is shown, and the
// webhook's URL is never printed or journaled.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/fake_cli_world.h"
#include "support/http_receiver.h"

namespace drover::testing {
namespace {

using nlohmann::json;

const std::vector<core::Host> kHosts{
    {"host-1", std::nullopt, {101, 102}, core::HostGroup::production},
    {"host-2", std::nullopt, {201}, core::HostGroup::production}};

// The secret part of a Slack URL; nothing drover writes may contain it.
const std::string kToken = "/services/T000/B000/XyZsecretToken";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string notify_toml(const std::vector<std::pair<std::string, std::string>>& webhooks,
                        int timeout = 5) {
  std::string text = "[notify]\ntimeout = " + std::to_string(timeout) + "\n";
  for (const auto& [url, format] : webhooks) {
    text += "[[notify.webhook]]\nurl = \"" + url + "\"\nformat = \"" + format + "\"\n";
  }
  return text;
}

std::string everything_written(FakeCliWorld& world) {
  std::string all = world.terminal.out() + world.terminal.err();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(world.state_root())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    all += std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return all;
}

TEST(CliNotify, ADeployTellsEveryWebhookWhenItStartsAndFinishesWithTheVerification) {
  HttpReceiver slack(HttpReceiver::answering(200, "ok"));
  HttpReceiver tool(HttpReceiver::answering(204));
  FakeCliWorld world(kHosts,
                     notify_toml({{slack.url(kToken), "slack"}, {tool.url("/drover"), "json"}}));
  world.transport.script("host-2").login = core::LoginState::not_logged_in;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "1"}), 6);
  const auto id = world.journaled_deploys().at(0);

  const auto posted = slack.requests();
  ASSERT_EQ(posted.size(), 2u);
  EXPECT_EQ(posted[0].request_line, "POST " + kToken + " HTTP/1.1");
  EXPECT_EQ(posted[0].headers.at("content-type"), "application/json");
  const auto started = json::parse(posted[0].body).at("text").get<std::string>();
  const auto finished = json::parse(posted[1].body).at("text").get<std::string>();
  for (const auto& fact :
       {"drover deploy " + id.substr(0, 8) + " started", std::string("fleet unit"),
        std::string("tester@ops-1"), std::string("image registry.test/tradebot:v2"),
        FakeCliWorld::pinned("v2"), std::string("speed routine"),
        std::string("2 host(s), 3 bot(s)")}) {
    EXPECT_TRUE(contains(started, fact)) << fact << "\n" << started;
  }
  for (const auto& fact :
       {"finished: VERIFICATION FAILED (exit 6)", "hosts: 2/2 ok, 0 failed, 0 not started",
        "verification: 3/3 on version, 2/3 logged in", "stale (old image): 0", "down: 0",
        "not logged in: 1 -&gt; bot201" /* Slack escapes &, < and > */}) {
    EXPECT_TRUE(contains(finished, fact)) << fact << "\n" << finished;
  }

  const auto documents = tool.requests();
  ASSERT_EQ(documents.size(), 2u);
  const auto done = json::parse(documents[1].body);
  EXPECT_EQ(done.at("event"), "finished");
  EXPECT_EQ(done.at("kind"), "deploy");
  EXPECT_EQ(done.at("deploy_id"), id);
  EXPECT_EQ(done.at("fleet"), "unit");
  EXPECT_EQ(done.at("operator"), "tester@ops-1");
  EXPECT_EQ(done.at("pinned_image"), FakeCliWorld::pinned("v2"));
  EXPECT_EQ(done.at("speed"), "routine");
  EXPECT_EQ(done.at("exit_code"), 6);
  EXPECT_EQ(done.at("outcome"), "verification_failed");
  EXPECT_EQ(done.at("result").at("succeeded"), 2);
  EXPECT_EQ(done.at("verification").at("on_version").size(), 3u);
  EXPECT_EQ(done.at("not_logged_in"), json::array({201}));
  EXPECT_EQ(json::parse(documents[0].body).at("event"), "started");
  EXPECT_EQ(world.terminal.err(), "") << "every webhook answered 2xx: nothing to warn about";
}

TEST(CliNotify, AFailingOrHangingWebhookNeverFailsTheDeployAndItsFailureIsShownWithoutTheUrl) {
  HttpReceiver broken(HttpReceiver::answering(500, "internal error"));
  HttpReceiver hanging(HttpReceiver::hanging());
  HttpReceiver good(HttpReceiver::answering(200));
  FakeCliWorld world(kHosts, notify_toml({{broken.url(kToken), "slack"},
                                          {hanging.url(kToken + "2"), "json"},
                                          {good.url("/ok"), "slack"}},
                                         1));
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();

  EXPECT_EQ(broken.requests().size(), 2u);
  EXPECT_GE(hanging.requests().size(), 1u) << "it got the first one, it just never answered";
  EXPECT_EQ(good.requests().size(), 2u) << "the others were not held up";
  const auto err = world.terminal.err();
  EXPECT_TRUE(contains(err, "drover: warning: notify: webhook 1 (slack, http://127.0.0.1:" +
                                std::to_string(broken.port()) +
                                "/…): deploy started: HTTP 500 (internal error)"))
      << err;
  const auto hanging_label =
      "webhook 2 (json, http://127.0.0.1:" + std::to_string(hanging.port()) + "/…): ";
  EXPECT_TRUE(contains(err, hanging_label + "deploy started: no answer within 1 s")) << err;
  // The finished event waited behind it, and got what was left of the one timeout drover
  // allows at the end: it is reported either way, never silently lost.
  EXPECT_TRUE(contains(err, hanging_label + "deploy finished: ")) << err;
  EXPECT_FALSE(contains(err, "webhook 3")) << err;
  EXPECT_FALSE(contains(everything_written(world), "XyZsecretToken"))
      << "a webhook URL is a secret: not in the output, the journal or the lock";
}

TEST(CliNotify, HaltsInterruptsAndRollbacksAreToldToo) {
  HttpReceiver receiver(HttpReceiver::answering(200));
  FakeCliWorld world(
      {{"host-1", std::nullopt, {101}, core::HostGroup::production},
       {"host-2", std::nullopt, {201}, core::HostGroup::production},
       {"host-3", std::nullopt, {301}, core::HostGroup::production}},
      "[speeds.routine]\nconcurrency = 1\n" + notify_toml({{receiver.url("/t"), "json"}}));
  world.transport.script("host-1").swap_rolls_back = true;
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 4);
  world.transport.script("host-1").swap_rolls_back = false;
  world.transport.script("host-2").during_swap = [&world] { world.interrupt = true; };
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v3", "-y"}), 4);
  world.interrupt = false;
  world.transport.script("host-2").during_swap = nullptr;
  EXPECT_EQ(world.run({"rollback", "all", "-y"}), 0) << world.terminal.err();

  std::vector<std::string> events;
  for (const auto& request : receiver.requests()) {
    const auto document = json::parse(request.body);
    events.push_back(document.at("kind").get<std::string>() + " " +
                     document.at("event").get<std::string>());
  }
  EXPECT_EQ(events,
            (std::vector<std::string>{"deploy started", "deploy halted", "deploy finished",
                                      "deploy started", "deploy interrupted", "deploy finished",
                                      "rollback started", "rollback finished"}));
  const auto halted = json::parse(receiver.requests()[1].body);
  EXPECT_EQ(halted.at("progress").at("failed"), 1);
  const auto rollback = json::parse(receiver.requests().back().body);
  EXPECT_EQ(rollback.at("rollback").at("targets").size(), 2u) << "host-1 and host-2 went to v3";
  EXPECT_EQ(rollback.at("outcome"), "success");
}

TEST(CliNotify, AWebhookUrlFromTheEnvironmentMustBeSetBeforeAnythingIsTouched) {
  HttpReceiver receiver(HttpReceiver::answering(200));
  FakeCliWorld world(kHosts,
                     "[[notify.webhook]]\nurl_env = \"DROVER_TEST_HOOK\"\nname = \"ops\"\n");
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 2);
  EXPECT_TRUE(
      world.terminal.err().starts_with("drover: error: notify: ops: $DROVER_TEST_HOOK is not set"))
      << world.terminal.err();
  EXPECT_TRUE(world.transport.commands_ran().empty());

  world.env["DROVER_TEST_HOOK"] = receiver.url(kToken);
  EXPECT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_TRUE(contains(json::parse(receiver.requests()[0].body).at("text"), "started"));
}

}  // namespace
}  // namespace drover::testing
