// The agent and private registries, against an in-memory Docker whose registry wants one
// X-Registry-Auth value: the pull carries the host's credentials; a host with none, with
// refused ones, or whose helper fails is failed before any bot is stopped, saying so; baseline's
// registry_access check; and where the agent looks for the host's Docker client config.
#include <gtest/gtest.h>

#include <sstream>

#include "agent/baseline_checks.h"
#include "agent/bot_names.h"
#include "agent/host_swap.h"
#include "core/virtual_clock.h"
#include "registry/registry_credentials.h"
#include "support/fixed_random.h"
#include "support/in_memory_runtime.h"

namespace drover::agent {
namespace {

using core::VirtualClock;
using testing::FixedRandom;
using testing::InMemoryRuntime;

const std::string kV1 = "registry.example.com/team/bot:v1";
const std::string kV2 = "registry.example.com/team/bot:v2";
const std::string kHeader = "eyJ1c2VybmFtZSI6Im9wIn0=";  // what the lookup hands the engine

class NoLogin final : public LoginProbe {
 public:
  LoginReading check(int, const docker::ContainerInfo&) override {
    return {LoginState::logged_in, "test"};
  }
};

PullAuth found(const core::ImageReference&) {
  return {kHeader, "docker-credential-ecr-login", "/root/.docker/config.json"};
}

PullAuth none(const core::ImageReference&) {
  return {"", "", "/root/.docker/config.json"};
}

class AgentRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    runtime.publish_image(kV1, {{"Cmd", {"/bot"}}});
    runtime.publish_image(kV2, {{"Cmd", {"/bot"}}});
    for (int id : {539, 540}) runtime.add_running_container(container_name(id), kV1);
    runtime.require_registry_auth(kHeader);
  }

  HostSwapResult swap(PullAuthLookup lookup) {
    ctx.registry_auth = std::move(lookup);
    HostSwapOptions options;
    options.bot_ids = {539, 540};
    options.image_ref = kV2;
    options.settle = Duration(1000);
    options.parallel = false;
    return swap_host(ctx, probe, options);
  }

  // Nothing was stopped, renamed, created or removed.
  void expect_untouched() {
    for (const auto& call : runtime.calls()) {
      for (const char* effect : {"stop_container", "rename_container", "create_container",
                                 "remove_container", "start_container"}) {
        EXPECT_NE(call.rfind(effect, 0), 0u) << call;
      }
    }
  }

  VirtualClock clock;
  InMemoryRuntime runtime{clock};
  FixedRandom random{7};
  std::ostringstream log_text;
  ProgressLog log{log_text};
  NoLogin probe;
  AgentContext ctx{runtime, clock, random, log,
                   [](const std::string&) { return std::optional<std::int64_t>(50LL << 30); }};
};

TEST_F(AgentRegistryTest, PullCarriesTheHostsCredentials) {
  auto result = swap(found);
  EXPECT_TRUE(result.ok()) << result.error;
  ASSERT_FALSE(runtime.pull_auths().empty());
  EXPECT_EQ(runtime.pull_auths().front(), kHeader);
  EXPECT_NE(log_text.str().find("with the credentials from docker-credential-ecr-login"),
            std::string::npos);
  EXPECT_EQ(log_text.str().find(kHeader), std::string::npos) << "the header reached the log";
}

TEST_F(AgentRegistryTest, HostWithoutCredentialsFailsBeforeAnyBotIsTouched) {
  auto result = swap(none);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("registry registry.example.com wants credentials and this host has "
                              "none for it in /root/.docker/config.json"),
            std::string::npos)
      << result.error;
  EXPECT_NE(result.error.find("no bot was touched"), std::string::npos) << result.error;
  for (const auto& bot : result.bots) EXPECT_EQ(bot.outcome, BotSwapOutcome::failed);
  expect_untouched();
}

TEST_F(AgentRegistryTest, RefusedCredentialsSayWhereTheyCameFrom) {
  auto result = swap([](const core::ImageReference&) {
    return PullAuth{"wrong", "auths in /root/.docker/config.json", "/root/.docker/config.json"};
  });
  EXPECT_NE(result.error.find("refused this host's credentials (from auths in "
                              "/root/.docker/config.json)"),
            std::string::npos)
      << result.error;
  expect_untouched();
}

TEST_F(AgentRegistryTest, UnreadableCredentialsFailTheHostBeforeThePull) {
  auto result = swap([](const core::ImageReference&) -> PullAuth {
    throw registry::RegistryAuthError("the credential helper docker-credential-ecr-login failed");
  });
  EXPECT_NE(result.error.find("could not read: the credential helper docker-credential-ecr-login "
                              "failed; no bot was touched"),
            std::string::npos)
      << result.error;
  EXPECT_TRUE(runtime.pull_auths().empty()) << "pulled without the credentials";
  expect_untouched();
}

TEST_F(AgentRegistryTest, BaselineChecksTheRegistryWithoutPulling) {
  const auto image = core::parse_image_reference(kV1);
  auto ok = check_registry_access(runtime, image, found);
  EXPECT_TRUE(ok.ok) << ok.detail;
  EXPECT_EQ(ok.check, "registry_access");
  EXPECT_EQ(ok.found, "accepted");
  EXPECT_FALSE(ok.fixable);

  auto refused = check_registry_access(runtime, image, none);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.found, "no credentials");
  EXPECT_NE(refused.detail.find("docker login registry.example.com"), std::string::npos)
      << refused.detail;

  auto absent = check_registry_access(
      runtime, core::parse_image_reference("registry.example.com/team/bot:v9"), found);
  EXPECT_FALSE(absent.ok);
  EXPECT_EQ(absent.found, "absent");
  EXPECT_TRUE(runtime.pull_auths().empty()) << "baseline pulled an image";
}

TEST(AgentDockerConfig, OwnSettingThenDockerConfigThenHomeThenRoot) {
  EXPECT_EQ(agent_docker_config_dir("/etc/drover/docker", "/x", "/home/a"), "/etc/drover/docker");
  EXPECT_EQ(agent_docker_config_dir(nullptr, "/x", "/home/a"), "/x");
  EXPECT_EQ(agent_docker_config_dir("", "", "/home/a"), "/home/a/.docker");
  EXPECT_EQ(agent_docker_config_dir(nullptr, nullptr, nullptr), "/root/.docker");
}

}  // namespace
}  // namespace drover::agent
