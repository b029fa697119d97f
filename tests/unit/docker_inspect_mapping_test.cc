#include <gtest/gtest.h>

#include "docker/inspect_mapping.h"

namespace drover::docker {
namespace {

using nlohmann::json;

// Field names as in engine-api-v1.41.yaml: ContainerInspectResponse, ContainerState, Health,
// ContainerConfig, HostConfig, NetworkSettings.Networks (EndpointSettings).
constexpr const char* kRunningContainer = R"({
  "Id": "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2",
  "Created": "2024-03-01T10:00:00.000000000Z",
  "Path": "/bot",
  "Args": ["--id", "7"],
  "State": {
    "Status": "running", "Running": true, "Paused": false, "Restarting": false,
    "OOMKilled": false, "Dead": false, "Pid": 4242, "ExitCode": 0, "Error": "",
    "StartedAt": "2024-03-01T10:00:01.123456789Z", "FinishedAt": "0001-01-01T00:00:00Z",
    "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []}
  },
  "Image": "sha256:d0f1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f",
  "Name": "/bot7",
  "RestartCount": 2,
  "HostConfig": {
    "Binds": ["/etc/resolv.conf:/etc/resolv.conf:ro", "/srv/bot7:/data"],
    "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
    "NetworkMode": "botnet"
  },
  "Config": {
    "Hostname": "4fa6e0f0c678",
    "Env": ["BOT_ID=7", "PATH=/usr/bin"],
    "Cmd": ["/bot"],
    "Image": "127.0.0.1:5000/team/bot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "Labels": {"drover.bot": "7"},
    "Tty": false
  },
  "NetworkSettings": {
    "Networks": {
      "botnet": {"NetworkID": "7ee5", "EndpointID": "9a1c", "Gateway": "172.20.0.1",
                 "IPAddress": "172.20.0.7", "Aliases": ["bot7"]}
    }
  }
})";

TEST(DockerInspectMapping, MapsARunningContainer) {
  const auto info = container_info_from_json(json::parse(kRunningContainer));
  EXPECT_EQ(info.id, "4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e2");
  EXPECT_EQ(info.name, "bot7");
  EXPECT_EQ(info.image_id,
            "sha256:d0f1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f");
  EXPECT_EQ(info.image_ref,
            "127.0.0.1:5000/team/bot@sha256:"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  EXPECT_EQ(info.state.status, "running");
  EXPECT_TRUE(info.state.running);
  EXPECT_FALSE(info.state.restarting);
  EXPECT_EQ(info.state.exit_code, 0);
  EXPECT_FALSE(info.state.oom_killed);
  EXPECT_EQ(info.state.health, "healthy");
  EXPECT_EQ(info.state.started_at, "2024-03-01T10:00:01.123456789Z");
  EXPECT_EQ(info.state.finished_at, "0001-01-01T00:00:00Z");
  EXPECT_EQ(info.created, "2024-03-01T10:00:00.000000000Z");
  EXPECT_EQ(info.restart_count, 2);
  EXPECT_EQ(info.config["Env"][0], "BOT_ID=7");
  EXPECT_EQ(info.config["Labels"]["drover.bot"], "7");
  EXPECT_EQ(info.host_config["RestartPolicy"]["Name"], "unless-stopped");
  EXPECT_EQ(info.host_config["Binds"][0], "/etc/resolv.conf:/etc/resolv.conf:ro");
  EXPECT_EQ(info.networks["botnet"]["IPAddress"], "172.20.0.7");
}

TEST(DockerInspectMapping, MapsAnExitedOomKilledContainerWithoutHealthcheck) {
  const auto info = container_info_from_json(json::parse(R"({
    "Id": "abc", "Name": "/bot8-prev", "Image": "sha256:11",
    "State": {"Status": "exited", "Running": false, "Restarting": false, "OOMKilled": true,
              "ExitCode": 137, "Error": "", "StartedAt": "2024-03-01T10:00:01Z",
              "Health": {"Status": "none"}},
    "RestartCount": 0, "Config": {"Image": "team/bot:v1"}, "HostConfig": {},
    "NetworkSettings": {"Networks": null}
  })"));
  EXPECT_EQ(info.name, "bot8-prev");
  EXPECT_EQ(info.state.status, "exited");
  EXPECT_FALSE(info.state.running);
  EXPECT_TRUE(info.state.oom_killed);
  EXPECT_EQ(info.state.exit_code, 137);
  EXPECT_EQ(info.state.health, "");  // "none": the image has no HEALTHCHECK
  EXPECT_TRUE(info.networks.is_object());
  EXPECT_TRUE(info.networks.empty());
}

// Health.Log holds the last probes (HealthcheckResult: Start, End, ExitCode, Output), oldest
// first: the newest probe's output is why the container is unhealthy.
TEST(DockerInspectMapping, KeepsTheNewestHealthProbesOutput) {
  const auto info = container_info_from_json(json::parse(R"({
    "Id": "abc", "Name": "/bot8",
    "State": {"Status": "running", "Running": true, "Health": {"Status": "unhealthy",
      "FailingStreak": 3, "Log": [
        {"Start": "2020-01-04T10:44:24.496525531Z", "End": "2020-01-04T10:44:25.4Z",
         "ExitCode": 0, "Output": "ok\n"},
        {"Start": "2020-01-04T10:44:26.496525531Z", "End": "2020-01-04T10:44:27.4Z",
         "ExitCode": -1, "Output": "Health check exceeded timeout (1s)\n"}]}}
  })"));
  EXPECT_EQ(info.state.health, "unhealthy");
  EXPECT_EQ(info.state.health_output, "Health check exceeded timeout (1s)");
}

TEST(DockerInspectMapping, ToleratesMissingAndNullMembers) {
  const auto info = container_info_from_json(json::parse(R"({"Id": "abc", "State": null,
    "Config": null, "HostConfig": null})"));
  EXPECT_EQ(info.id, "abc");
  EXPECT_EQ(info.name, "");
  EXPECT_EQ(info.state.status, "");
  EXPECT_EQ(info.state.health, "");
  EXPECT_TRUE(info.config.is_object());
  EXPECT_TRUE(info.host_config.is_object());
  EXPECT_TRUE(info.networks.is_object());
}

TEST(DockerInspectMapping, MapsAStartingRestartingContainer) {
  const auto info = container_info_from_json(json::parse(R"({
    "Id": "abc", "Name": "/bot9", "State": {"Status": "restarting", "Running": true,
    "Restarting": true, "ExitCode": 1, "Error": "boom", "Health": {"Status": "starting"}},
    "RestartCount": 5})"));
  EXPECT_TRUE(info.state.restarting);
  EXPECT_EQ(info.state.exit_code, 1);
  EXPECT_EQ(info.state.error, "boom");
  EXPECT_EQ(info.state.health, "starting");
  EXPECT_EQ(info.restart_count, 5);
}

// ImageInspect in engine-api-v1.41.yaml.
// The event stream of GET /events, one EventMessage per line (the specification's example,
// then the fields an engine adds: timeNano, exitCode on a die).
TEST(DockerInspectMapping, ReadsAContainersEventsFromTheStream) {
  const std::string id = "ede54ee1afda366ab42f824e8a5ffd195155d853ceaec74a927f249ea270c743";
  const std::string body =
      R"({"Type":"container","Action":"create","Actor":{"ID":")" + id +
      R"(","Attributes":{"image":"alpine","name":"my-container"}},"time":1461943101})"
      "\n"
      R"({"Type":"container","Action":"die","Actor":{"ID":")" +
      id +
      R"(","Attributes":{"exitCode":"3","name":"my-container"}},"time":1461943103,)"
      R"("timeNano":1461943103000000123})"
      "\n\n"
      R"({"Type":"container","Action":"die","Actor":{"ID":"other","Attributes":{}},"time":1})"
      "\n"
      R"({"Type":"image","Action":"pull","Actor":{"ID":")" +
      id +
      R"(","Attributes":{}},"time":1})"
      "\n";
  const auto events = container_events_from_stream(body, id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "create");
  EXPECT_EQ(events[0].time_unix_nanos, 1461943101000000000);
  EXPECT_EQ(events[0].attributes.at("name"), "my-container");
  EXPECT_EQ(events[1].action, "die");
  EXPECT_EQ(events[1].time_unix_nanos, 1461943103000000123);
  EXPECT_EQ(events[1].attributes.at("exitCode"), "3");
  EXPECT_THROW(container_events_from_stream("{\"Type\":\"container\"}\nnot json\n", id),
               std::invalid_argument);
}

// A `time` in seconds that does not fit in 64-bit nanoseconds reads as absent (0) rather than
// overflowing (undefined behaviour, found by fuzz/docker_inspect_fuzz.cc).
TEST(DockerInspectMapping, AnEventTimeBeyondNanosecondsReadsAsAbsent) {
  const std::string body =
      R"({"Type":"container","Action":"start","Actor":{"ID":"c"},"time":14619443101})"
      "\n"
      R"({"Type":"container","Action":"die","Actor":{"ID":"c"},"time":-9223372036854775807})"
      "\n"
      R"({"Type":"container","Action":"stop","Actor":{"ID":"c"},"time":9223372036})"
      "\n";
  const auto events = container_events_from_stream(body, "c");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].action, "start");
  EXPECT_EQ(events[0].time_unix_nanos, 0);
  EXPECT_EQ(events[1].action, "die");
  EXPECT_EQ(events[1].time_unix_nanos, 0);
  EXPECT_EQ(events[2].action, "stop");
  EXPECT_EQ(events[2].time_unix_nanos, 9223372036000000000);
}

TEST(DockerInspectMapping, MapsAnImage) {
  const auto info = image_info_from_json(json::parse(R"({
    "Id": "sha256:d0f1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f",
    "RepoTags": ["127.0.0.1:5000/team/bot:v1", "team/bot:latest"],
    "RepoDigests": ["127.0.0.1:5000/team/bot@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    "Parent": "", "Comment": "", "Created": "2024-03-01T09:00:00Z",
    "Config": {"Cmd": ["/bot"], "Env": ["PATH=/usr/bin"],
               "Healthcheck": {"Test": ["CMD", "/bot", "--health"], "Interval": 5000000000}},
    "Architecture": "amd64", "Os": "linux", "Size": 7340032, "VirtualSize": 7340032
  })"));
  EXPECT_EQ(info.id, "sha256:d0f1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f");
  EXPECT_EQ(info.repo_tags,
            (std::vector<std::string>{"127.0.0.1:5000/team/bot:v1", "team/bot:latest"}));
  ASSERT_EQ(info.repo_digests.size(), 1u);
  EXPECT_EQ(info.repo_digests[0].substr(0, 31), "127.0.0.1:5000/team/bot@sha256:");
  EXPECT_EQ(info.config["Healthcheck"]["Test"][0], "CMD");
  EXPECT_EQ(info.size, 7340032);
}

TEST(DockerInspectMapping, AnUntaggedImageHasNullTagLists) {
  const auto info = image_info_from_json(
      json::parse(R"({"Id": "sha256:22", "RepoTags": null, "RepoDigests": null, "Size": 0})"));
  EXPECT_TRUE(info.repo_tags.empty());
  EXPECT_TRUE(info.repo_digests.empty());
  EXPECT_TRUE(info.config.is_object());
}

}  // namespace
}  // namespace drover::docker
