// EngineRuntime against the real Docker engine (and the test registry, when one answers).
// The test image is built here, FROM scratch with busybox, so no network is needed.
// Every container is named drover-it-docker-* and removed after its test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "docker/engine_runtime.h"
#include "support/test_env.h"
#include "util/subprocess.h"

namespace drover::docker {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kImage = "drover-test/docker-client:latest";
const std::string kPrefix = "drover-it-docker-";

ProcessResult docker_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.timeout = 5min;
  return PosixProcessRunner().run(argv, options);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Builds `tag` FROM scratch with /busybox; `extra` is appended to the Dockerfile.
void build_image(const std::string& tag, const std::string& extra = "") {
  const fs::path dir =
      fs::temp_directory_path() / ("drover-it-docker-build-" + std::to_string(getpid()) + "-" +
                                   std::to_string(std::hash<std::string>{}(tag + extra)));
  fs::create_directories(dir);
  fs::copy_file("/bin/busybox", dir / "busybox", fs::copy_options::overwrite_existing);
  std::ofstream(dir / "Dockerfile")
      << "FROM scratch\nCOPY busybox /busybox\n"
      << "CMD [\"/busybox\",\"sh\",\"-c\",\"echo hello; echo oops >&2; sleep 1000\"]\n"
      << extra;
  const auto result = docker_cli({"build", "-q", "-t", tag, dir.string()});
  fs::remove_all(dir);
  ASSERT_EQ(result.exit_code, 0) << "docker build " << tag << ": " << result.err;
}

bool registry_answers(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1))));
  if (inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &address.sin_addr) != 1) return false;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

class DockerRuntimeIT : public ::testing::Test {
 protected:
  void SetUp() override {
    // Another test's prune may have removed it: rebuilding from scratch takes a second.
    if (!runtime_.inspect_image(kImage)) build_image(kImage);
  }

  void TearDown() override {
    for (const auto& name : created_) {
      try {
        runtime_.remove_container(name);
      } catch (const RuntimeError&) {
        // already gone (renamed, removed by the test)
      }
    }
  }

  std::string create(const std::string& suffix, json body) {
    const auto name = kPrefix + suffix;
    try {
      runtime_.remove_container(name);  // a leftover of an interrupted run
    } catch (const RuntimeError&) {
    }
    if (!body.contains("Image")) body["Image"] = kImage;
    created_.push_back(name);
    return runtime_.create_container(name, body);
  }

  ContainerInfo wait_until_exited(const std::string& name) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    for (;;) {
      auto info = runtime_.inspect_container(name);
      if (!info) throw std::runtime_error(name + " vanished");
      if (info->state.status == "exited" || std::chrono::steady_clock::now() > deadline) {
        return *info;
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  std::vector<std::string> wait_for_logs(const std::string& name, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (;;) {
      auto lines = runtime_.container_logs(name, 0);
      if (lines.size() >= count || std::chrono::steady_clock::now() > deadline) return lines;
      std::this_thread::sleep_for(100ms);
    }
  }

  EngineRuntime runtime_;
  std::vector<std::string> created_;
};

TEST_F(DockerRuntimeIT, PingsAndFindsTheDataRoot) {
  runtime_.ping();
  const auto expected = trimmed(docker_cli({"info", "--format", "{{.DockerRootDir}}"}).out);
  EXPECT_EQ(runtime_.data_root(), expected);
}

TEST_F(DockerRuntimeIT, MissingThingsInspectAsNothing) {
  EXPECT_FALSE(runtime_.inspect_container(kPrefix + "no-such-container").has_value());
  EXPECT_FALSE(runtime_.inspect_container("../../../_ping").has_value());
  EXPECT_FALSE(runtime_.inspect_image("drover-test/no-such-image:nope").has_value());
}

TEST_F(DockerRuntimeIT, CreatesStartsInspectsLogsStopsRenamesAndRemoves) {
  const auto data_dir =
      fs::temp_directory_path() / ("drover-it-docker-data-" + std::to_string(getpid()));
  fs::create_directories(data_dir);
  const auto id = create("bot1", {{"Env", {"BOT_ID=1", "GREETING=a b&c"}},
                                  {"Labels", {{"drover.bot", "1"}}},
                                  {"HostConfig",
                                   {{"Binds", {data_dir.string() + ":/data:ro"}},
                                    {"RestartPolicy", {{"Name", "unless-stopped"}}}}}});
  const auto image = runtime_.inspect_image(kImage);
  ASSERT_TRUE(image.has_value());

  auto info = runtime_.inspect_container(kPrefix + "bot1");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, id);
  EXPECT_EQ(info->state.status, "created");

  runtime_.start_container(id);
  runtime_.start_container(id);  // 304 "already started" is not an error
  info = runtime_.inspect_container(kPrefix + "bot1");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->name, kPrefix + "bot1");
  EXPECT_EQ(info->image_id, image->id);
  EXPECT_EQ(info->image_ref, kImage);
  EXPECT_EQ(info->state.status, "running");
  EXPECT_TRUE(info->state.running);
  EXPECT_EQ(info->state.health, "");
  EXPECT_FALSE(info->state.started_at.empty());
  const auto env = info->config["Env"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=a b&c"), env.end());
  EXPECT_EQ(info->config["Labels"]["drover.bot"], "1");
  EXPECT_EQ(info->host_config["Binds"][0], data_dir.string() + ":/data:ro");
  EXPECT_EQ(info->host_config["RestartPolicy"]["Name"], "unless-stopped");
  EXPECT_TRUE(info->networks.contains("bridge")) << info->networks.dump();

  const auto lines = wait_for_logs(id, 2);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "hello"), lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "oops"), lines.end());
  const auto since_future = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count() +
                            3600;
  EXPECT_TRUE(runtime_.container_logs(id, 0, since_future).empty());

  // sh as PID 1 ignores SIGTERM, so the engine waits out the timeout and then kills.
  const auto stop_started = std::chrono::steady_clock::now();
  runtime_.stop_container(id, 2s);
  EXPECT_GE(std::chrono::steady_clock::now() - stop_started, 1500ms);
  runtime_.stop_container(id, 2s);  // 304 "already stopped"
  info = runtime_.inspect_container(id);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->state.status, "exited");
  EXPECT_FALSE(info->state.running);

  runtime_.rename_container(id, kPrefix + "bot1-prev");
  created_.push_back(kPrefix + "bot1-prev");
  EXPECT_FALSE(runtime_.inspect_container(kPrefix + "bot1").has_value());
  ASSERT_TRUE(runtime_.inspect_container(kPrefix + "bot1-prev").has_value());
  EXPECT_EQ(runtime_.inspect_container(kPrefix + "bot1-prev")->id, id);

  runtime_.remove_container(kPrefix + "bot1-prev");
  EXPECT_FALSE(runtime_.inspect_container(id).has_value());
  fs::remove_all(data_dir);
}

TEST_F(DockerRuntimeIT, EngineErrorsCarryStatusAndMessage) {
  create("dup", json::object());
  try {
    create("dup-2", json::object());
    runtime_.rename_container(kPrefix + "dup-2", kPrefix + "dup");
    FAIL() << "renaming onto a taken name succeeded";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.status(), 409);
    EXPECT_NE(std::string(e.what()).find("already in use"), std::string::npos) << e.what();
  }
  try {
    runtime_.start_container(kPrefix + "no-such-container");
    FAIL() << "starting a missing container succeeded";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_NE(std::string(e.what()).find("No such container"), std::string::npos) << e.what();
  }
}

TEST_F(DockerRuntimeIT, ReportsTheExitCodeOfAnExitedContainer) {
  const auto id = create("exit3", {{"Cmd", {"/busybox", "sh", "-c", "echo bye; exit 3"}}});
  runtime_.start_container(id);
  const auto info = wait_until_exited(id);
  EXPECT_EQ(info.state.status, "exited");
  EXPECT_FALSE(info.state.running);
  EXPECT_EQ(info.state.exit_code, 3);
  EXPECT_EQ(runtime_.container_logs(id, 0), std::vector<std::string>{"bye"});
}

// The engine's event log is the settle proof's second witness: it records a start and a die
// (with the exit code) that an inspect afterwards cannot see.
TEST_F(DockerRuntimeIT, TheEventLogRecordsAContainersStartAndDie) {
  const auto id = create("events", {{"Cmd", {"/busybox", "sh", "-c", "exit 4"}}});
  const auto created = runtime_.inspect_container(id);
  ASSERT_TRUE(created);
  EXPECT_FALSE(created->created.empty());
  runtime_.start_container(id);
  const auto info = wait_until_exited(id);
  EXPECT_NE(info.state.finished_at, "0001-01-01T00:00:00Z");

  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto events = runtime_.container_events(id, now - 120'000'000'000LL, now);
  std::vector<std::string> actions;
  for (const auto& event : events) {
    actions.push_back(event.action);
    EXPECT_GT(event.time_unix_nanos, now - 120'000'000'000LL);
    if (event.action == "die") {
      EXPECT_EQ(event.attributes.at("exitCode"), "4");
    }
  }
  const auto at = [&](const std::string& action) {
    return std::find(actions.begin(), actions.end(), action) - actions.begin();
  };
  ASSERT_LT(at("start"), static_cast<long>(actions.size())) << ::testing::PrintToString(actions);
  ASSERT_LT(at("die"), static_cast<long>(actions.size())) << ::testing::PrintToString(actions);
  EXPECT_LT(at("start"), at("die"));
  // Another container's events are not this one's; an empty interval has none.
  EXPECT_TRUE(runtime_.container_events(id, now, now).empty());
}

TEST_F(DockerRuntimeIT, LogsHonourTailAndTtyContainers) {
  const auto plain = create(
      "logs", {{"Cmd", {"/busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done"}}});
  runtime_.start_container(plain);
  wait_until_exited(plain);
  EXPECT_EQ(runtime_.container_logs(plain, 2), (std::vector<std::string>{"line4", "line5"}));
  EXPECT_EQ(runtime_.container_logs(plain, 0).size(), 5u);

  const auto tty =
      create("tty", {{"Tty", true}, {"Cmd", {"/busybox", "sh", "-c", "echo out; echo err >&2"}}});
  runtime_.start_container(tty);
  wait_until_exited(tty);
  EXPECT_EQ(runtime_.container_logs(tty, 0), (std::vector<std::string>{"out", "err"}));
}

// The agent swaps the bots of a host from parallel threads through one runtime.
TEST_F(DockerRuntimeIT, OneRuntimeServesSeveralThreads) {
  const auto id = create("threads", json::object());
  runtime_.start_container(id);
  // The threads ask for the last log line: the container must have written its two first, or
  // a thread that asks at once finds none (a race of the test, not of the runtime).
  ASSERT_EQ(wait_for_logs(id, 2).size(), 2u);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        try {
          runtime_.ping();
          const auto info = runtime_.inspect_container(id);
          if (!info || !info->state.running) ++failures;
          if (!runtime_.inspect_image(kImage)) ++failures;
          if (runtime_.container_logs(id, 1).size() != 1) ++failures;
        } catch (const RuntimeError&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(DockerRuntimeIT, PullOfAMissingTagNamesTheProblem) {
  const auto registry = drover::testing::registry();
  if (!registry_answers(registry)) {
    GTEST_SKIP() << "no registry answers on " << registry
                 << " (scripts/test-services.sh starts one; DROVER_TEST_REGISTRY moves it)";
  }
  const auto ref = registry + "/drover-test/docker-client:no-such-tag";
  try {
    runtime_.pull_image(ref, "");
    FAIL() << "pulling " << ref << " succeeded";
  } catch (const RuntimeError& e) {
    const std::string message = e.what();
    EXPECT_FALSE(e.unreachable());
    EXPECT_TRUE(message.find("not found") != std::string::npos ||
                message.find("manifest unknown") != std::string::npos)
        << message;
    EXPECT_NE(message.find("no-such-tag"), std::string::npos) << message;
  }
}

TEST_F(DockerRuntimeIT, PullsWhatWasPushedAndReportsItsDigest) {
  const auto registry = drover::testing::registry();
  if (!registry_answers(registry)) {
    GTEST_SKIP() << "no registry answers on " << registry
                 << " (scripts/test-services.sh starts one; DROVER_TEST_REGISTRY moves it)";
  }
  const auto repository = registry + "/drover-test/docker-client";
  const auto ref = repository + ":it-" + std::to_string(getpid());
  ASSERT_EQ(docker_cli({"tag", kImage, ref}).exit_code, 0);
  const auto pushed = docker_cli({"push", ref});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.out << pushed.err;
  ASSERT_EQ(docker_cli({"rmi", ref}).exit_code, 0);  // so the pull has to fetch it
  ASSERT_FALSE(runtime_.inspect_image(ref).has_value());

  const auto image = runtime_.pull_image(ref, "");
  EXPECT_NE(std::find(image.repo_tags.begin(), image.repo_tags.end(), ref), image.repo_tags.end());
  const auto digest =
      std::find_if(image.repo_digests.begin(), image.repo_digests.end(),
                   [&](const std::string& d) { return d.rfind(repository + "@sha256:", 0) == 0; });
  ASSERT_NE(digest, image.repo_digests.end());

  const auto by_digest = runtime_.pull_image(*digest, "");
  EXPECT_EQ(by_digest.id, image.id);
  docker_cli({"rmi", ref});
}

// Prune removes every unused image on the engine. So that a run does not take other
// suites' images with it, each existing image is held by a stopped "keeper" container
// while the prune runs; only the image made for this test is unused.
TEST_F(DockerRuntimeIT, PruneRemovesAnUnusedImage) {
  const std::string doomed = "drover-test/docker-client-prune:latest";
  build_image(doomed, "LABEL drover.it.prune=\"" + std::to_string(getpid()) + "\"\n");
  const auto image = runtime_.inspect_image(doomed);
  ASSERT_TRUE(image.has_value());

  std::istringstream ids(docker_cli({"image", "ls", "-q", "--no-trunc"}).out);
  int keepers = 0;
  std::set<std::string> seen;
  for (std::string id; std::getline(ids, id);) {
    if (id.empty() || id == image->id || !seen.insert(id).second) continue;
    create("keep-" + std::to_string(keepers++),
           {{"Image", id}, {"Entrypoint", {"/drover-keeper"}}, {"Cmd", json::array()}});
  }

  const auto pruned = runtime_.prune_images();
  EXPECT_NE(std::find(pruned.deleted.begin(), pruned.deleted.end(), image->id),
            pruned.deleted.end());
  EXPECT_FALSE(runtime_.inspect_image(doomed).has_value());
  EXPECT_TRUE(runtime_.inspect_image(kImage).has_value());
}

// The swap removes the images it released by id, never forced: the engine itself refuses while
// any container (even a stopped one, e.g. another logical host's bot<ID>-prev) uses the image.
TEST_F(DockerRuntimeIT, RemovesAnImageByIdOnlyOnceNoContainerUsesIt) {
  const std::string released = "drover-test/docker-client-released:latest";
  build_image(released, "LABEL drover.it.released=\"" + std::to_string(getpid()) + "\"\n");
  const auto image = runtime_.inspect_image(released);
  ASSERT_TRUE(image.has_value());
  create("holder",
         {{"Image", released}, {"Entrypoint", {"/drover-keeper"}}, {"Cmd", json::array()}});

  EXPECT_FALSE(runtime_.remove_image_if_unused(image->id));
  EXPECT_TRUE(runtime_.inspect_image(released).has_value()) << "removed an image in use";

  runtime_.remove_container(kPrefix + "holder");
  EXPECT_TRUE(runtime_.remove_image_if_unused(image->id));
  EXPECT_FALSE(runtime_.inspect_image(released).has_value());
  EXPECT_TRUE(runtime_.remove_image_if_unused(image->id)) << "an image already gone is removed";
}

}  // namespace
}  // namespace drover::docker
