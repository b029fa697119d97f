#include <gtest/gtest.h>

#include <string>

#include "cli/config/drover_toml.h"
#include "config_test_support.h"

namespace drover::cli {
namespace {

using nlohmann::json;
using testing::contains;
using testing::kFleet;
using testing::kOneHost;
using testing::refusal;

// kFleet is 3 lines: [container] is line 4 and its first key line 5.
std::string container(const std::string& body) {
  return kFleet + "[container]\n" + body + kOneHost;
}

json body(const std::string& text) {
  auto config = parse_config(container(text), "drover.toml");
  EXPECT_TRUE(config.container_template.has_value());
  return config.container_template.value_or(json());
}

TEST(ConfigContainer, KeysAreWrittenInDockersSpelling) {
  auto b = body(R"(env = ["BOT_ID={id}", "MODE=live"]
cmd = ["/bot", "--login-after", "2"]
labels = { "drover.bot" = "{id}" }
Healthcheck = { test = ["CMD", "/bot", "--health"], interval = 1000000000, retries = 3 }
[container.host_config]
restart_policy = { name = "on-failure", maximum_retry_count = 5 }
network_mode = "host"
binds = ["/srv/bot{id}:/data"]
log_config = { type = "json-file", config = { max-size = "10m" } }
mounts = [{ Type = "tmpfs", Target = "/tmp" }]
)");
  EXPECT_EQ(b, json::parse(R"({
    "Env": ["BOT_ID={id}", "MODE=live"],
    "Cmd": ["/bot", "--login-after", "2"],
    "Labels": {"drover.bot": "{id}"},
    "Healthcheck": {"Test": ["CMD", "/bot", "--health"], "Interval": 1000000000, "Retries": 3},
    "HostConfig": {
      "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 5},
      "NetworkMode": "host",
      "Binds": ["/srv/bot{id}:/data"],
      "LogConfig": {"Type": "json-file", "Config": {"max-size": "10m"}},
      "Mounts": [{"Type": "tmpfs", "Target": "/tmp"}]
    }
  })"));
}

TEST(ConfigContainer, ARawJsonTemplateIsCheckedTheSameWay) {
  auto b = body(
      R"(template_json = '{"Env":["BOT_ID={id}"],"HostConfig":{"RestartPolicy":{"Name":"always"}}}')"
      "\n");
  EXPECT_EQ(b["HostConfig"]["RestartPolicy"]["Name"], "always");
  EXPECT_EQ(
      refusal(container(R"(template_json = '{"Env":["A=1"],"HostConfig":{"RestartPolicyy":{}}}')"
                        "\n")),
      "drover.toml:5: container.template_json: HostConfig.RestartPolicyy: is not a field of "
      "HostConfig (did you mean RestartPolicy? Docker's fields here: CpuShares, Memory, "
      "CgroupParent, BlkioWeight, BlkioWeightDevice, BlkioDeviceReadBps, "
      "BlkioDeviceWriteBps, BlkioDeviceReadIOps, BlkioDeviceWriteIOps, CpuPeriod, CpuQuota, "
      "CpuRealtimePeriod, CpuRealtimeRuntime, CpusetCpus, CpusetMems, Devices, "
      "DeviceCgroupRules, DeviceRequests, KernelMemoryTCP, MemoryReservation, MemorySwap, "
      "MemorySwappiness, NanoCpus, OomKillDisable, Init, PidsLimit, Ulimits, CpuCount, "
      "CpuPercent, IOMaximumIOps, IOMaximumBandwidth, Binds, ContainerIDFile, LogConfig, "
      "NetworkMode, PortBindings, RestartPolicy, VolumeDriver, VolumesFrom, Mounts, CapAdd, "
      "CapDrop, CgroupnsMode, Dns, DnsOptions, DnsSearch, ExtraHosts, GroupAdd, IpcMode, "
      "Cgroup, Links, OomScoreAdj, PidMode, Privileged, PublishAllPorts, ReadonlyRootfs, "
      "SecurityOpt, StorageOpt, Tmpfs, UTSMode, UsernsMode, ShmSize, Sysctls, Runtime, "
      "ConsoleSize, Isolation, MaskedPaths, ReadonlyPaths, KernelMemory, Annotations)");
  EXPECT_TRUE(contains(refusal(container("template_json = '{\"Env\": [1'\n")),
                       "drover.toml:5: container.template_json: is not valid JSON"));
  EXPECT_TRUE(contains(refusal(container("template_json = '[1]'\n")),
                       "container.template_json: is JSON but not an object"));
  EXPECT_TRUE(contains(refusal(container("template_json = '{}'\nenv = [\"A=1\"]\n")),
                       "container.template_json: cannot be combined with other keys"));
}

TEST(ConfigContainer, UnknownKeysAreRefusedAtEveryLevelDockerDefines) {
  EXPECT_TRUE(contains(refusal(container("enviroment = [\"A=1\"]\n")),
                       "drover.toml:5: container.enviroment: is not a field of a Docker create "
                       "body ("));
  EXPECT_TRUE(contains(refusal(container("evn = [\"A=1\"]\n")),
                       "container.evn: is not a field of a Docker create body (did you mean Env?"));
  EXPECT_TRUE(contains(refusal(container("[container.host_config]\nrestart = \"always\"\n")),
                       "drover.toml:6: container.host_config.restart: is not a field of "
                       "host_config"));
  EXPECT_TRUE(
      contains(refusal(container("host_config = { restart_policy = { nam = \"always\" } }\n")),
               "drover.toml:5: container.host_config.restart_policy.nam: is not a field of "
               "host_config.restart_policy (did you mean Name?"));
}

TEST(ConfigContainer, ValuesMustHaveDockersShape) {
  EXPECT_EQ(refusal(container("env = \"BOT_ID={id}\"\n")),
            "drover.toml:5: container.env: expected a list of strings, got a string (Docker's Env "
            "is a list of strings)");
  EXPECT_TRUE(contains(refusal(container("env = [\"A=1\", 2]\n")),
                       "container.env: expected a list of strings, got a list"));
  EXPECT_TRUE(contains(refusal(container("labels = { a = 1 }\n")),
                       "container.labels: expected a table of strings, got a table"));
  EXPECT_TRUE(contains(
      refusal(container("host_config = { restart_policy = { name = \"sometimes\" } }\n")),
      "container.host_config.restart_policy.name: \"sometimes\" is not a value Docker accepts "
      "(use one of \"\", \"no\", \"always\", \"unless-stopped\", \"on-failure\")"));
  EXPECT_TRUE(contains(refusal(container("stop_signal = 1979-05-27\n")),
                       "drover.toml:5: container.stop_signal: a date or time has no meaning"));
}

TEST(ConfigContainer, FieldsDroverOwnsAreRefused) {
  EXPECT_TRUE(contains(refusal(container("image = \"nginx\"\n")),
                       "container.image: cannot be set here (drover sets the image"));
  EXPECT_TRUE(contains(refusal(container("[container.host_config]\nauto_remove = true\n")),
                       "container.host_config.auto_remove: cannot be set here"));
  EXPECT_TRUE(contains(refusal(container("stop_timeout = 10\n")),
                       "container.stop_timeout: cannot be set here (the graceful stop timeout "
                       "comes from the deploy speed"));
  EXPECT_TRUE(
      contains(refusal(container("env = [\"A=1\"]\nEnv = [\"B=2\"]\n")), "sets Env a second time"));
}

}  // namespace
}  // namespace drover::cli
