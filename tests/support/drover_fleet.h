#pragma once
// An end-to-end world for the drover CLI on the real engine: a fleet of logical hosts (the
// local transport puts all their bots on this machine's Docker), written as a drover.toml in
// a fresh temporary directory together with a private DROVER_STATE_DIR, the bots' containers
// (BotFleet: created as an operator would, removed afterwards), and the real drover binary
// run with argv and that configuration.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "docker/container_runtime.h"
#include "support/bot_fleet.h"
#include "util/subprocess.h"

namespace drover::testing {

struct HostSpec {
  std::string name;
  std::vector<int> bots;
  std::string group = "production";  // or "staging"
};

/// One finished drover run.
struct DroverRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string all() const { return out + err; }
};

/// Speeds small enough for tests: the test bots log in ~1-2 s after start and stop at once.
inline constexpr const char* kQuickSpeeds = R"([speeds.routine]
stop_timeout = 5
settle = 2
login_wait = 10

[speeds.fast]
stop_timeout = 5
settle = 2
login_wait = 10
)";

/// `routine` one host at a time, halting once more than 10 % of the hosts failed: the first
/// failed host halts the rollout and the hosts after it never start.
inline constexpr const char* kHaltAtFirstFailure = R"([speeds.routine]
concurrency = 1
halt_percent = 10
stop_timeout = 5
settle = 2
login_wait = 10
)";

class DroverFleet {
 public:
  /// Writes <tmp>/drover.toml for fleet `fleet_name` with `hosts` and the `speeds` sections,
  /// repository <registry>/drover-test/bot, default tag v1, login probe "health".
  DroverFleet(std::string drover_binary, std::string fleet_name, std::vector<HostSpec> hosts,
              std::string speeds = kQuickSpeeds);
  ~DroverFleet();
  DroverFleet(const DroverFleet&) = delete;
  DroverFleet& operator=(const DroverFleet&) = delete;

  /// Runs bot<ID> from drover-test/bot:<tag> for every bot of every host.
  void run_all(const std::string& tag);

  /// `drover args... --config <toml>` with DROVER_STATE_DIR set; stdin is not a terminal.
  /// `config` replaces the fleet's drover.toml when given.
  DroverRun drover(const std::vector<std::string>& args, const std::string& config = "") const;
  /// The argv of that run (for LiveProcess) and the environment to add.
  std::vector<std::string> argv(const std::vector<std::string>& args,
                                const std::string& config = "") const;
  std::map<std::string, std::string> env() const;
  /// Adds `name`=`value` to the environment of every later drover run (and so of the agents
  /// the local transport starts): DOCKER_CONFIG, DROVER_AGENT_DOCKER_CONFIG, PATH.
  void set_env(const std::string& name, const std::string& value) { extra_env_[name] = value; }

  /// Every bot's container as it is now (throws when one has no container).
  std::map<int, docker::ContainerInfo> snapshot();
  docker::ContainerInfo bot(int id);
  /// The test image a bot runs: its "drover.test.image" label (v1, v2, broken...).
  std::string version(int id);
  bool has_prev(int id);

  const std::vector<HostSpec>& hosts() const { return hosts_; }
  std::vector<int> bots_of(const std::string& host) const;
  std::vector<int> bots_in_group(const std::string& group) const;
  std::vector<int> all_bots() const;

  const std::string& fleet_name() const { return fleet_name_; }
  std::filesystem::path dir() const { return dir_; }
  std::filesystem::path config_path() const { return dir_ / "drover.toml"; }
  std::string config_text() const { return config_text_; }
  std::filesystem::path state_dir() const { return dir_ / "state"; }
  std::filesystem::path fleet_state_dir() const { return state_dir() / fleet_name_; }
  std::filesystem::path lock_file() const { return fleet_state_dir() / "lock"; }
  /// The files under <state>/<fleet>/deploys (journals and origins); empty when none.
  std::vector<std::string> journal_files() const;
  /// Writes `text` to <tmp>/<name> and returns its path.
  std::string write_file(const std::string& name, const std::string& text) const;

  BotFleet& containers() { return containers_; }

 private:
  std::string binary_;
  std::string fleet_name_;
  std::vector<HostSpec> hosts_;
  std::filesystem::path dir_;
  std::string config_text_;
  std::map<std::string, std::string> extra_env_;
  BotFleet containers_;
};

/// The deploy id of a "command: <uuid>" line in `output`; "" when there is none.
std::string deploy_id_in(const std::string& output);

/// The hosts a plain (piped) run reported finished ok: "[2/3] host-1: ok (3s)".
std::set<std::string> hosts_ok(const std::string& output);

/// Bot names as drover lists them: "bot8101 bot8102" (sorted as text, like drover).
std::string bot_names(std::vector<int> ids);

/// Expects (gtest) that a bot was not touched: the same container, never restarted, running.
void expect_untouched(const docker::ContainerInfo& before, const docker::ContainerInfo& now);

/// Whether every line of `needles` occurs in `haystack`, for messages: returns the first
/// missing one, or "" when all are there.
std::string first_missing(const std::string& haystack, const std::vector<std::string>& needles);

}  // namespace drover::testing
