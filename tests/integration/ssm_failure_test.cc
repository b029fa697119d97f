// The ssm transport when things go wrong: refused credentials, an offline instance, a lock
// held by another operator in Parameter Store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "cli/aws/connect.h"
#include "cli/lock/parameter_store_lock.h"
#include "support/ssm_world.h"
#include "util/clock.h"
#include "util/http/curl_http_client.h"
#include "util/random.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

int lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(SsmFailureIT, AWrongSecretKeyIsRefusedInOneLineAndTouchesNoBot) {
  SsmWorld world(DROVER_BIN, DROVER_AGENT_BIN, "ssm-badkey",
                 {{{"host-1", {8731, 8732}}}, {{"host-2", {8733}}}});
  world.fleet().run_all("v1");
  auto before = world.fleet().snapshot();
  const std::string wrong = "wrong+secret/ThisIsNotTheKey0123456789";

  auto run =
      world.drover({"deploy", "all", "routine", "v2", "-y"}, {{"AWS_SECRET_ACCESS_KEY", wrong}});

  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("drover: error: AWS: InvalidSignatureException: The request signature "
                         "we calculated does not match"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << "how to fix: " << run.err;
  for (const auto& [id, info] : before) {
    auto now = world.fleet().bot(id);
    EXPECT_EQ(now.id, info.id) << "bot" << id << " was touched";
    EXPECT_EQ(now.state.started_at, info.state.started_at) << "bot" << id;
  }
  EXPECT_TRUE(world.aws().invocations().empty()) << "no command may be sent";
  EXPECT_EQ(where_is(wrong, {{"stdout", run.out},
                             {"stderr", run.err},
                             {"state", world.state_text()},
                             {"fake log", world.aws().log()}}),
            "");
  EXPECT_EQ(where_is(FakeAws::kSecretKey, {{"stderr", run.err}, {"fake log", world.aws().log()}}),
            "");

  // verify takes no lock: the preflight is what refuses it, equally clearly.
  auto verify = world.drover({"verify", "all", "v1"}, {{"AWS_SECRET_ACCESS_KEY", wrong}});
  EXPECT_EQ(verify.exit_code, 2) << verify.out << verify.err;
  EXPECT_NE(verify.err.find("InvalidSignatureException"), std::string::npos) << verify.err;
}

TEST(SsmFailureIT, AnOfflineInstanceIsUnreachableAndNeverSentACommand) {
  SsmWorld world(
      DROVER_BIN, DROVER_AGENT_BIN, "ssm-offline",
      {{{"host-1", {8741}}}, {{"host-2", {8742}}, "ConnectionLost"}, {{"host-3", {8743}}}});
  world.fleet().run_all("v1");
  auto before = world.fleet().snapshot();

  auto run = world.drover({"deploy", "all", "fast", "v2", "-y", "--straggler-wait", "3"});

  EXPECT_NE(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(world.fleet().version(8741), "v2");
  EXPECT_EQ(world.fleet().version(8743), "v2");
  EXPECT_EQ(world.fleet().bot(8742).id, before[8742].id) << "the offline host's bot was touched";
  EXPECT_NE(run.out.find("host-2: FAILED"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ConnectionLost, not Online; no command was sent"), std::string::npos)
      << run.out;
  // The deploy's preflight already met it: the plan box names it before anything started.
  const auto plan_row = run.out.find("Unreachable");
  ASSERT_NE(plan_row, std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 host (host-2)", plan_row), std::string::npos) << run.out;
  EXPECT_LT(plan_row, run.out.find("host-2: FAILED")) << run.out;
  for (const auto& inv : world.aws().invocations()) {
    EXPECT_NE(inv["instance_id"], SsmWorld::instance_id(1)) << "a command reached the offline host";
  }
  auto inventory = world.drover({"inventory"});
  EXPECT_NE(inventory.out.find("ConnectionLost"), std::string::npos) << inventory.out;
  EXPECT_NE(inventory.out.find("2 of 3 SSM agent(s) Online"), std::string::npos) << inventory.out;
}

TEST(SsmFailureIT, AParameterStoreLockHeldElsewhereRefusesAndUnlockForceBreaksIt) {
  SsmWorld world(DROVER_BIN, DROVER_AGENT_BIN, "ssm-lock", {{{"host-1", {8751}}}});
  world.fleet().run_all("v1");
  auto before = world.fleet().snapshot();

  // Another operator, on another machine, holds the fleet's lock.
  auto env = world.env();
  SteadyClock clock;
  SystemRandom random;
  PosixProcessRunner runner;
  CurlHttpClient http;
  auto connect = cli::real_aws_connect(
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
      },
      clock, random, runner, http);
  cli::AwsSettings settings;
  auto lock = cli::make_parameter_store_lock(connect(settings).ssm, "/drover/ssm-lock/deploy-lock",
                                             "ssm-lock",
                                             {{"mallory", "ops-elsewhere"},
                                              4242,
                                              [] { return std::string("2026-06-12T10:00:00Z"); },
                                              [](pid_t) { return true; }});
  auto held = lock->acquire("0badc0de-0000-4000-8000-000000000000", "drover deploy all fast");
  ASSERT_EQ(world.aws().parameters().size(), 1u);

  auto run = world.drover({"deploy", "all", "routine", "v2", "-y"});
  EXPECT_EQ(run.exit_code, 7) << run.out << run.err;
  EXPECT_NE(run.err.find("another deploy holds the lock: mallory@ops-elsewhere (pid 4242)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(world.fleet().bot(8751).id, before[8751].id);

  auto gentle = world.drover({"unlock"});
  EXPECT_EQ(gentle.exit_code, 7) << gentle.out << gentle.err;
  EXPECT_NE(gentle.err.find("drover unlock --force"), std::string::npos) << gentle.err;

  auto forced = world.drover({"unlock", "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_NE(forced.out.find("held by mallory@ops-elsewhere (pid 4242, deploy "
                            "0badc0de-0000-4000-8000-000000000000"),
            std::string::npos)
      << forced.out;
  EXPECT_TRUE(world.aws().parameters().empty());
  EXPECT_FALSE(held->release()) << "a broken lock is no longer its holder's";

  auto again = world.drover({"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "3"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(world.fleet().version(8751), "v2");
}

}  // namespace
}  // namespace drover::testing
