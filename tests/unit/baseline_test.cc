#include "agent/baseline.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "agent/baseline_checks.h"
#include "agent/host_system.h"

namespace drover::agent {
namespace {

namespace fs = std::filesystem;

// Plays systemctl for docker.service: remembers whether it is enabled and records every argv.
// A leading --root=DIR (offline systemctl on a directory tree) is accepted and recorded as is.
class RecordingSystemctl final : public ProcessRunner {
 public:
  std::string state = "disabled";  // what `systemctl is-enabled docker` prints
  bool enable_works = true;
  std::vector<std::vector<std::string>> commands_ran;

  ProcessResult run(const std::vector<std::string>& full_argv, const ProcessOptions&) override {
    commands_ran.push_back(full_argv);
    auto argv = full_argv;
    if (argv.size() > 1 && argv[1].rfind("--root=", 0) == 0) argv.erase(argv.begin() + 1);
    ProcessResult result;
    if (argv == std::vector<std::string>{"systemctl", "is-enabled", "docker"}) {
      result.out = state + "\n";
      result.exit_code = state == "enabled" ? 0 : 1;
    } else if (argv == std::vector<std::string>{"systemctl", "enable", "docker"}) {
      if (enable_works) {
        state = "enabled";
        result.exit_code = 0;
      } else {
        result.err = "Failed to enable unit: Access denied\n";
        result.exit_code = 1;
      }
    } else {
      throw std::runtime_error("unexpected program");
    }
    return result;
  }
};

// The real POSIX side under a temporary root, except that free space is scripted: the real
// figure of the test machine's /tmp would make the disk check depend on the machine.
class TempRootHostSystem final : public PosixHostSystem {
 public:
  using PosixHostSystem::PosixHostSystem;
  std::int64_t free = std::int64_t{5} << 30;
  std::vector<std::string> free_asked;
  std::int64_t free_bytes(const std::string& path) override {
    free_asked.push_back(path);
    PosixHostSystem::free_bytes(path);  // the path must exist under the root, as on a host
    return free;
  }
};

// Knows Docker's data root and frees `reclaimable` bytes on the host when pruned.
class PruningRuntime final : public docker::ContainerRuntime {
 public:
  explicit PruningRuntime(TempRootHostSystem& host) : host_(host) {}
  std::int64_t reclaimable = 0;
  int prunes = 0;
  bool down = false;

  std::string data_root() override {
    if (down) throw docker::RuntimeError(0, "cannot connect to the Docker daemon");
    return "/var/lib/docker";
  }
  docker::PruneResult prune_images() override {
    ++prunes;
    docker::PruneResult result;
    result.space_reclaimed = reclaimable;
    if (reclaimable > 0) result.deleted = {"sha256:old1", "sha256:old2"};
    host_.free += reclaimable;
    reclaimable = 0;
    return result;
  }

  void ping() override { unused(); }
  bool remove_image_if_unused(const std::string&) override { unused(); }
  std::optional<docker::ContainerInfo> inspect_container(const std::string&) override { unused(); }
  std::optional<docker::ImageInfo> inspect_image(const std::string&) override { unused(); }
  docker::ImageInfo pull_image(const std::string&, const std::string&) override { unused(); }
  std::string registry_manifest_digest(const std::string&, const std::string&) override {
    unused();
  }
  std::string create_container(const std::string&, const nlohmann::json&) override { unused(); }
  void start_container(const std::string&) override { unused(); }
  void stop_container(const std::string&, std::chrono::seconds) override { unused(); }
  void rename_container(const std::string&, const std::string&) override { unused(); }
  void remove_container(const std::string&) override { unused(); }
  std::vector<std::string> container_logs(const std::string&, int, std::int64_t) override {
    unused();
  }
  std::vector<docker::ContainerEvent> container_events(const std::string&, std::int64_t,
                                                       std::int64_t) override {
    unused();
  }

 private:
  [[noreturn]] static void unused() { throw std::logic_error("the baseline does not call this"); }
  TempRootHostSystem& host_;
};

class Baseline : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "drover-baseline-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    host_ = std::make_unique<TempRootHostSystem>(root_.string(), systemctl_);
    runtime_ = std::make_unique<PruningRuntime>(*host_);
    // A healthy host; each test breaks the one thing it is about.
    fs::create_directories(root_ / "run/systemd/system");
    fs::create_directories(root_ / "var/lib/docker");
    write("etc/resolv.conf", "nameserver 10.0.0.2\n", 0644);
    write("etc/docker/daemon.json", R"({"log-driver": "local"})", 0644);
    systemctl_.state = "enabled";
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& relative, const std::string& text, unsigned mode) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
    ::chmod((root_ / relative).c_str(), mode);
  }
  std::string read(const std::string& relative) {
    std::ifstream in(root_ / relative);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  unsigned mode(const std::string& relative) {
    struct stat st {};
    ::stat((root_ / relative).c_str(), &st);
    return st.st_mode & 07777;
  }
  BaselineReport run(bool fix) {
    BaselineOptions options;
    options.fix = fix;
    return run_baseline(*host_, *runtime_, options);
  }
  // systemctl as the checks run it against this fixture's root.
  std::vector<std::string> systemctl(const std::string& verb) const {
    return {"systemctl", "--root=" + root_.string(), verb, "docker"};
  }
  static const BaselineCheck& find(const BaselineReport& report, const std::string& name) {
    for (const auto& check : report.checks) {
      if (check.check == name) return check;
    }
    throw std::logic_error("no check " + name);
  }

  fs::path root_;
  RecordingSystemctl systemctl_;
  std::unique_ptr<TempRootHostSystem> host_;
  std::unique_ptr<PruningRuntime> runtime_;
};

using Argv = std::vector<std::string>;

TEST_F(Baseline, HealthyHostPassesEveryCheckAndChangesNothing) {
  auto report = run(true);
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.checks.size(), 4u);
  EXPECT_EQ(report.checks[0].check, "docker_on_boot");
  EXPECT_EQ(report.checks[1].check, "resolv_conf_mode");
  EXPECT_EQ(report.checks[2].check, "docker_log_rotation");
  EXPECT_EQ(report.checks[3].check, "disk_free");
  for (const auto& check : report.checks) {
    EXPECT_TRUE(check.ok) << check.check << ": " << check.detail;
    EXPECT_FALSE(check.fixable) << check.check;
    EXPECT_FALSE(check.fixed) << check.check;
  }
  EXPECT_EQ(systemctl_.commands_ran, (std::vector<Argv>{systemctl("is-enabled")}));
  EXPECT_EQ(runtime_->prunes, 0);
  EXPECT_EQ(host_->free_asked, std::vector<std::string>{"/var/lib/docker"});
}

TEST_F(Baseline, ReportJsonHasTheDocumentedShape) {
  systemctl_.state = "disabled";
  const auto result = run(false);
  core::BaselineReport report;
  report.ok = result.ok();
  report.checks = result.checks;
  auto json = core::to_json(report);
  EXPECT_EQ(json["ok"], false);
  ASSERT_EQ(json["checks"].size(), 4u);
  const auto& first = json["checks"][0];
  EXPECT_EQ(first["check"], "docker_on_boot");
  EXPECT_EQ(first["ok"], false);
  EXPECT_EQ(first["fixable"], true);
  EXPECT_EQ(first["fixed"], false);
  EXPECT_TRUE(first["detail"].is_string());
  EXPECT_EQ(first["found"], "disabled");
  EXPECT_EQ(first.size(), 6u);
}

TEST_F(Baseline, FoundSaysWhatEachCheckSawBeforeTheFix) {
  systemctl_.state = "disabled";
  write("etc/resolv.conf", "nameserver 10.0.0.2\n", 0640);
  write("etc/docker/daemon.json", "{}", 0644);
  host_->free = std::int64_t{12} << 30;
  auto report = run(true);
  EXPECT_EQ(find(report, "docker_on_boot").found, "disabled");
  EXPECT_EQ(find(report, "resolv_conf_mode").found, "0640");
  EXPECT_EQ(find(report, "docker_log_rotation").found, "unbounded");
  EXPECT_EQ(find(report, "disk_free").found, "12.0 GiB");
  for (const auto& check : report.checks) EXPECT_TRUE(check.ok) << check.check;

  auto again = run(false);
  EXPECT_EQ(find(again, "docker_on_boot").found, "enabled");
  EXPECT_EQ(find(again, "resolv_conf_mode").found, "0644");
  EXPECT_EQ(find(again, "docker_log_rotation").found, "max-size 10m");
}

TEST_F(Baseline, FoundNamesMissingAndBrokenThings) {
  fs::remove_all(root_ / "run/systemd");
  fs::remove(root_ / "etc/resolv.conf");
  write("etc/docker/daemon.json", "{", 0644);
  auto report = run(false);
  EXPECT_EQ(find(report, "docker_on_boot").found, "no systemd");
  EXPECT_EQ(find(report, "resolv_conf_mode").found, "missing");
  EXPECT_EQ(find(report, "docker_log_rotation").found, "invalid");
  write("etc/docker/daemon.json", R"({"log-driver": "journald"})", 0644);
  EXPECT_EQ(find(run(false), "docker_log_rotation").found, "journald");
}

// The host itself ("/"), pretending systemd runs (this test machine may have none).
class SystemdHost final : public PosixHostSystem {
 public:
  using PosixHostSystem::PosixHostSystem;
  bool exists(const std::string&) override { return true; }
};

TEST(BaselineOnTheHostItself, SystemctlIsNotGivenARoot) {
  RecordingSystemctl systemctl;
  systemctl.state = "enabled";
  SystemdHost host("/", systemctl);
  EXPECT_EQ(host.root(), "/");
  auto check = check_docker_on_boot(host, false);
  EXPECT_TRUE(check.ok) << check.detail;
  EXPECT_EQ(systemctl.commands_ran,
            (std::vector<std::vector<std::string>>{{"systemctl", "is-enabled", "docker"}}));
}

// ---- docker_on_boot ----------------------------------------------------------------------

TEST_F(Baseline, DockerDisabledAtBootIsReportedThenEnabledByFix) {
  systemctl_.state = "disabled";
  auto checked = find(run(false), "docker_on_boot");
  EXPECT_FALSE(checked.ok);
  EXPECT_TRUE(checked.fixable);
  EXPECT_NE(checked.detail.find("'disabled'"), std::string::npos) << checked.detail;
  EXPECT_EQ(systemctl_.commands_ran, (std::vector<Argv>{systemctl("is-enabled")}));

  systemctl_.commands_ran.clear();
  auto fixed = find(run(true), "docker_on_boot");
  EXPECT_TRUE(fixed.ok);
  EXPECT_TRUE(fixed.fixed);
  EXPECT_EQ(
      systemctl_.commands_ran,
      (std::vector<Argv>{systemctl("is-enabled"), systemctl("enable"), systemctl("is-enabled")}));

  systemctl_.commands_ran.clear();
  auto again = find(run(true), "docker_on_boot");
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.fixed);
  EXPECT_EQ(systemctl_.commands_ran, (std::vector<Argv>{systemctl("is-enabled")}));
}

TEST_F(Baseline, FailedEnableIsReportedWithSystemctlsReason) {
  systemctl_.state = "disabled";
  systemctl_.enable_works = false;
  auto check = find(run(true), "docker_on_boot");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixed);
  EXPECT_NE(check.detail.find("Access denied"), std::string::npos) << check.detail;
}

TEST_F(Baseline, MaskedDockerIsLeftToAHuman) {
  systemctl_.state = "masked";
  auto check = find(run(true), "docker_on_boot");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixable);
  EXPECT_NE(check.detail.find("systemctl unmask docker"), std::string::npos);
  EXPECT_EQ(systemctl_.commands_ran, (std::vector<Argv>{systemctl("is-enabled")}));
}

TEST_F(Baseline, NoSystemdIsReportedClearlyAndNothingIsRun) {
  fs::remove_all(root_ / "run/systemd");
  auto check = find(run(true), "docker_on_boot");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixable);
  EXPECT_FALSE(check.fixed);
  EXPECT_NE(check.detail.find("systemd was not found"), std::string::npos) << check.detail;
  EXPECT_NE(check.detail.find("init system by hand"), std::string::npos) << check.detail;
  EXPECT_TRUE(systemctl_.commands_ran.empty());
}

// ---- resolv_conf_mode --------------------------------------------------------------------

TEST_F(Baseline, UnreadableResolvConfIsReportedThenChmodded) {
  write("etc/resolv.conf", "nameserver 10.0.0.2\n", 0640);
  auto checked = find(run(false), "resolv_conf_mode");
  EXPECT_FALSE(checked.ok);
  EXPECT_TRUE(checked.fixable);
  EXPECT_NE(checked.detail.find("mode 0640"), std::string::npos) << checked.detail;
  EXPECT_NE(checked.detail.find("non-root"), std::string::npos) << checked.detail;
  EXPECT_EQ(mode("etc/resolv.conf"), 0640u);

  auto fixed = find(run(true), "resolv_conf_mode");
  EXPECT_TRUE(fixed.ok);
  EXPECT_TRUE(fixed.fixed);
  EXPECT_EQ(mode("etc/resolv.conf"), 0644u);
  EXPECT_EQ(read("etc/resolv.conf"), "nameserver 10.0.0.2\n");

  auto again = find(run(true), "resolv_conf_mode");
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.fixed);
}

TEST_F(Baseline, TooOpenResolvConfIsAlsoSetTo0644) {
  write("etc/resolv.conf", "nameserver 10.0.0.2\n", 0666);
  EXPECT_FALSE(find(run(false), "resolv_conf_mode").ok);
  EXPECT_TRUE(find(run(true), "resolv_conf_mode").fixed);
  EXPECT_EQ(mode("etc/resolv.conf"), 0644u);
}

TEST_F(Baseline, MissingResolvConfIsNotInvented) {
  fs::remove(root_ / "etc/resolv.conf");
  auto check = find(run(true), "resolv_conf_mode");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixable);
  EXPECT_NE(check.detail.find("does not exist"), std::string::npos);
  EXPECT_FALSE(fs::exists(root_ / "etc/resolv.conf"));
}

// ---- docker_log_rotation -----------------------------------------------------------------

TEST_F(Baseline, LogDriversThatBoundLogsPass) {
  for (std::string config : {R"({"log-driver": "local"})", R"({"log-driver": "journald"})",
                             R"({"log-opts": {"max-size": "50m"}})",
                             R"({"log-driver": "json-file", "log-opts": {"max-size": "1g"}})"}) {
    write("etc/docker/daemon.json", config, 0644);
    auto check = find(run(false), "docker_log_rotation");
    EXPECT_TRUE(check.ok) << config << ": " << check.detail;
  }
}

TEST_F(Baseline, UnboundedJsonFileLogsAreMergedIntoTheExistingFile) {
  const std::string original =
      R"({"live-restore": true, "registry-mirrors": ["https://mirror.example"],)"
      R"( "log-opts": {"max-file": "5", "labels": "bot"}})";
  write("etc/docker/daemon.json", original, 0600);

  auto checked = find(run(false), "docker_log_rotation");
  EXPECT_FALSE(checked.ok);
  EXPECT_TRUE(checked.fixable);
  EXPECT_NE(checked.detail.find("after dockerd restarts"), std::string::npos) << checked.detail;
  EXPECT_EQ(read("etc/docker/daemon.json"), original);

  auto fixed = find(run(true), "docker_log_rotation");
  EXPECT_TRUE(fixed.ok);
  EXPECT_TRUE(fixed.fixed);
  EXPECT_NE(fixed.detail.find("after dockerd restarts"), std::string::npos) << fixed.detail;
  auto merged = nlohmann::json::parse(read("etc/docker/daemon.json"));
  EXPECT_EQ(merged["live-restore"], true);
  EXPECT_EQ(merged["registry-mirrors"], nlohmann::json::array({"https://mirror.example"}));
  EXPECT_EQ(merged["log-opts"]["max-size"], "10m");
  EXPECT_EQ(merged["log-opts"]["max-file"], "5");  // the operator's own choice is kept
  EXPECT_EQ(merged["log-opts"]["labels"], "bot");
  EXPECT_FALSE(merged.contains("log-driver"));
  EXPECT_EQ(mode("etc/docker/daemon.json"), 0600u);

  const std::string after_fix = read("etc/docker/daemon.json");
  auto again = find(run(true), "docker_log_rotation");
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.fixed);
  EXPECT_EQ(read("etc/docker/daemon.json"), after_fix);
}

TEST_F(Baseline, MissingDaemonJsonIsCreated) {
  fs::remove_all(root_ / "etc/docker");
  EXPECT_FALSE(find(run(false), "docker_log_rotation").ok);
  EXPECT_FALSE(fs::exists(root_ / "etc/docker"));

  auto fixed = find(run(true), "docker_log_rotation");
  EXPECT_TRUE(fixed.fixed) << fixed.detail;
  EXPECT_EQ(nlohmann::json::parse(read("etc/docker/daemon.json")),
            nlohmann::json::parse(R"({"log-opts": {"max-size": "10m", "max-file": "3"}})"));
  EXPECT_EQ(mode("etc/docker/daemon.json"), 0644u);
  // No temporary file is left next to it.
  EXPECT_EQ(std::distance(fs::directory_iterator(root_ / "etc/docker"), fs::directory_iterator{}),
            1);
}

TEST_F(Baseline, InvalidDaemonJsonIsReportedAndNeverOverwritten) {
  for (std::string broken : {R"({"log-driver": "json-file",})", "", "[1, 2]",
                             R"({"log-opts": "max-size=10m"})", R"({"log-driver": 7})"}) {
    write("etc/docker/daemon.json", broken, 0644);
    auto check = find(run(true), "docker_log_rotation");
    EXPECT_FALSE(check.ok) << broken;
    EXPECT_FALSE(check.fixable) << broken;
    EXPECT_FALSE(check.fixed) << broken;
    EXPECT_NE(check.detail.find("by hand"), std::string::npos) << check.detail;
    EXPECT_EQ(read("etc/docker/daemon.json"), broken);
  }
}

TEST_F(Baseline, OtherLogDriversAreNotGivenJsonFileOptions) {
  const std::string config = R"({"log-driver": "awslogs", "log-opts": {"awslogs-group": "bots"}})";
  write("etc/docker/daemon.json", config, 0644);
  auto check = find(run(true), "docker_log_rotation");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixable);
  EXPECT_NE(check.detail.find("awslogs"), std::string::npos);
  EXPECT_EQ(read("etc/docker/daemon.json"), config);
}

// ---- disk_free ---------------------------------------------------------------------------

TEST_F(Baseline, LowDiskIsReportedInHumanUnitsThenPruned) {
  host_->free = 512ll << 20;
  runtime_->reclaimable = 3ll << 30;
  auto checked = find(run(false), "disk_free");
  EXPECT_FALSE(checked.ok);
  EXPECT_TRUE(checked.fixable);
  EXPECT_NE(checked.detail.find("512.0 MiB"), std::string::npos) << checked.detail;
  EXPECT_NE(checked.detail.find("1.0 GiB"), std::string::npos) << checked.detail;
  EXPECT_EQ(runtime_->prunes, 0);

  auto fixed = find(run(true), "disk_free");
  EXPECT_TRUE(fixed.ok);
  EXPECT_TRUE(fixed.fixed);
  EXPECT_EQ(runtime_->prunes, 1);
  EXPECT_NE(fixed.detail.find("reclaimed 3.0 GiB"), std::string::npos) << fixed.detail;
  EXPECT_NE(fixed.detail.find("3.5 GiB free"), std::string::npos) << fixed.detail;

  auto again = find(run(true), "disk_free");
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.fixed);
  EXPECT_EQ(runtime_->prunes, 1);
}

TEST_F(Baseline, DiskStillLowAfterPruningFails) {
  host_->free = 100ll << 20;
  runtime_->reclaimable = 200ll << 20;
  auto check = find(run(true), "disk_free");
  EXPECT_FALSE(check.ok);
  EXPECT_FALSE(check.fixed);
  EXPECT_NE(check.detail.find("only 300.0 MiB is free"), std::string::npos) << check.detail;
}

TEST_F(Baseline, FloorIsAnOption) {
  host_->free = 2ll << 30;
  BaselineOptions options;
  options.disk_floor_bytes = 4ll << 30;
  auto check = check_disk_free(*host_, *runtime_, options);
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.detail.find("floor of 4.0 GiB"), std::string::npos) << check.detail;
}

TEST_F(Baseline, DockerDownStillMeasuresTheUsualDataRoot) {
  runtime_->down = true;
  auto check = find(run(false), "disk_free");
  EXPECT_TRUE(check.ok) << check.detail;
  EXPECT_NE(check.detail.find("assumed /var/lib/docker"), std::string::npos) << check.detail;
}

TEST(HumanBytes, ReadsLikeAnOperatorWouldWriteIt) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(1023), "1023 B");
  EXPECT_EQ(human_bytes(1536), "1.5 KiB");
  EXPECT_EQ(human_bytes(std::int64_t{1} << 30), "1.0 GiB");
  EXPECT_EQ(human_bytes(std::int64_t{8} << 40), "8.0 TiB");
}

TEST(PosixHostSystem, RefusesRelativePaths) {
  RecordingSystemctl runner;
  PosixHostSystem host("/", runner);
  EXPECT_EQ(host.real_path("/etc/resolv.conf"), "/etc/resolv.conf");
  EXPECT_THROW(host.real_path("etc/resolv.conf"), std::invalid_argument);
  PosixHostSystem rooted("/tmp/x/", runner);
  EXPECT_EQ(rooted.real_path("/etc/resolv.conf"), "/tmp/x/etc/resolv.conf");
  EXPECT_EQ(rooted.root(), "/tmp/x");
}

}  // namespace
}  // namespace drover::agent
