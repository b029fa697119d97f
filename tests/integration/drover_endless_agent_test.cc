// An agent (or a compromised host) that prints without end: the real drover fails that host
// as bad_output within its output cap and its own memory stays small (issue 13, point 1).
// Bot ids 8892-8893.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "support/drover_fleet.h"
#include "support/test_env.h"

extern char** environ;

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

// Runs argv with `env` added to ours, stdout and stderr into `output`; returns the exit status and
// the child's peak resident set (ru_maxrss, KiB) as wait4 reports it.
struct MeasuredRun {
  int exit_code = -1;
  long peak_rss_kib = 0;
};

MeasuredRun run_measured(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, const fs::path& output) {
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) env_text.emplace_back(*e);
  for (const auto& [name, value] : env) env_text.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) throw std::runtime_error("wait4 failed");
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), usage.ru_maxrss};
}

TEST(DroverEndlessAgentIT, AnAgentThatPrintsForeverFailsItsHostWhileDroverStaysSmall) {
  DroverFleet fleet(DROVER_BIN, "e2e-endless", {{"host-1", {8892}}, {"host-2", {8893}}});
  fleet.run_all("v1");
  // The real agent answers everything but the swap; the swap prints a report line forever.
  const auto agent = fleet.dir() / "endless" / "drover-agent";
  fs::create_directories(agent.parent_path());
  std::ofstream(agent) << "#!/bin/sh\n"
                       << "if [ \"$1\" = swap ]; then exec yes '{\"ok\":true}'; fi\n"
                       << "exec '" << DROVER_AGENT_BIN << "' \"$@\"\n";
  fs::permissions(agent, fs::perms::owner_all);
  auto text = fleet.config_text();
  const std::string section = "[fleet]\n";
  text.insert(text.find(section) + section.size(), "agent_path = \"" + agent.string() + "\"\n");
  const auto config = fleet.write_file("endless.toml", text);

  // The preflight would call a wrapper script another build: --allow-drift.
  const auto argv = fleet.argv(
      {"deploy", "all", "routine", "v2", "-y", "--straggler-wait", "0", "--allow-drift"}, config);
  const auto output_file = fleet.dir() / "deploy.out";
  const auto run = run_measured(argv, fleet.env(), output_file);
  std::ifstream in(output_file);
  const std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(run.exit_code, 0) << output;
  EXPECT_NE(output.find("more than 2 MiB to stdout and was stopped"), std::string::npos) << output;
  RecordProperty("drover_peak_rss_kib", std::to_string(run.peak_rss_kib));
  EXPECT_LT(run.peak_rss_kib, 64 * 1024) << "drover's peak RSS was " << run.peak_rss_kib << " KiB";

  const auto shown = fleet.drover({"history"}, config);
  EXPECT_NE(shown.out.find("failed"), std::string::npos) << shown.all();
  // Nothing was swapped: both bots still run v1, untouched by the endless "agent".
  EXPECT_EQ(fleet.version(8892), "v1");
  EXPECT_EQ(fleet.version(8893), "v1");
}

}  // namespace
}  // namespace drover::testing
