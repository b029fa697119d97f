// `drover history` and `show` for tools (--json) and for people: the journal's facts as JSON
// (docs/json.md), a deploy whose verification failed marked as such, and a rollback told apart
// from a deploy. End to end through the CLI's world (support/fake_cli_world.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/fake_cli_world.h"

namespace drover::testing {
namespace {

using nlohmann::json;

const std::vector<core::Host> kHosts{
    {"host-1", std::nullopt, {101, 102}, core::HostGroup::production},
    {"host-2", std::nullopt, {201}, core::HostGroup::production}};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `args` and returns what it printed on stdout.
std::string stdout_of(FakeCliWorld& world, const std::vector<std::string>& args) {
  const auto before = world.terminal.out().size();
  EXPECT_EQ(world.run(args), 0) << world.terminal.err();
  return world.terminal.out().substr(before);
}

TEST(CliHistoryJson, HistoryAndShowPrintTheJournalsFactsAndMarkAFailedVerification) {
  FakeCliWorld world(kHosts);
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v2", "-y"}), 0) << world.terminal.err();
  world.transport.script("host-2").login = core::LoginState::not_logged_in;
  ASSERT_EQ(world.run({"deploy", "all", "routine", "v3", "-y", "--straggler-wait", "1"}), 6);
  world.transport.script("host-2").login = core::LoginState::logged_in;
  ASSERT_EQ(world.run({"rollback", "all", "-y"}), 0) << world.terminal.err();

  const auto table = stdout_of(world, {"history"});
  EXPECT_TRUE(contains(table, "  verify failed  ")) << table;
  EXPECT_TRUE(contains(table, "  rollback  ")) << table;

  const auto history = json::parse(stdout_of(world, {"history", "--json"}));
  EXPECT_EQ(history.at("fleet"), "unit");
  EXPECT_EQ(history.at("not_shown"), 0);
  const auto& deploys = history.at("deploys");
  ASSERT_EQ(deploys.size(), 3u);
  EXPECT_EQ(deploys[0].at("kind"), "rollback") << "newest first";
  EXPECT_EQ(deploys[0].at("outcome"), "success");
  EXPECT_EQ(deploys[0].at("rollback").at("targets").size(), 3u);
  const auto& failed = deploys[1];
  EXPECT_EQ(failed.at("kind"), "deploy");
  EXPECT_EQ(failed.at("outcome"), "verification_failed");
  EXPECT_EQ(failed.at("result").at("status"), "success") << "every host itself succeeded";
  EXPECT_EQ(failed.at("result").at("exit_code"), 6);
  EXPECT_EQ(failed.at("pinned_image"), FakeCliWorld::pinned("v3"));
  EXPECT_EQ(failed.at("operator"), "tester@ops-1");
  EXPECT_EQ(failed.at("hosts"),
            (json{{"total", 2}, {"ok", 2}, {"failed", 0}, {"not_finished", 0}}));
  EXPECT_EQ(failed.at("verification").at("not_logged_in"), json::array({201}));
  EXPECT_EQ(failed.at("verification").at("on_version_count"), 3);
  const auto limited = json::parse(stdout_of(world, {"history", "--json", "--limit", "1"}));
  EXPECT_EQ(limited.at("deploys").size(), 1u);
  EXPECT_EQ(limited.at("not_shown"), 2);

  const auto id = failed.at("deploy_id").get<std::string>();
  const auto shown = json::parse(stdout_of(world, {"show", id, "--json"}));
  for (const auto& key : {"deploy_id", "kind", "outcome", "hosts", "verification"}) {
    EXPECT_EQ(shown.at(key), failed.at(key)) << "show carries history's keys: " << key;
  }
  EXPECT_EQ(shown.at("plan").at("deploy_id"), id);
  ASSERT_EQ(shown.at("host_records").size(), 2u);
  for (const auto& record : shown.at("host_records")) {
    for (const auto& bot : record.at("bots")) {
      EXPECT_EQ(bot.at("outcome"), "swapped");
      EXPECT_EQ(bot.at("from").at("repo_digest"), FakeCliWorld::pinned("v2"))
          << "what each bot ran before, as the journal keeps it";
      EXPECT_EQ(bot.at("repo_digest"), FakeCliWorld::pinned("v3"));
    }
  }
  EXPECT_EQ(shown.at("planned_hosts").size(), 2u);
  EXPECT_EQ(shown.at("result_detail").at("exit_code"), 6);
  EXPECT_EQ(shown.at("verification_report").at("not_logged_in"), json::array({201}));
  EXPECT_FALSE(shown.at("retry").is_null());
  EXPECT_EQ(shown.at("torn_tail"), false);

  const auto text = stdout_of(world, {"show", deploys[0].at("deploy_id").get<std::string>()});
  EXPECT_TRUE(text.starts_with("rollback ")) << text;
  EXPECT_TRUE(contains(text, "rollback plan")) << text;
}

}  // namespace
}  // namespace drover::testing
