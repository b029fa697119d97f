#include "cli/commands/baseline_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands/fleet_check.h"
#include "cli/fleet/agent_build.h"
#include "cli/fleet/agent_calls.h"
#include "cli/fleet/agent_install.h"
#include "cli/fleet/agent_versions.h"
#include "cli/fleet/host_calls.h"
#include "core/fleet_baseline.h"

namespace drover::cli {
namespace {

// The hosts the drift check found without this drover's agent, given it.
std::map<core::HostName, core::AgentResult> install_where_needed(
    const std::vector<core::HostSelection>& hosts, core::Transport& transport, CliWorld& world) {
  auto binary = verified_agent_beside_this_program();
  announce(world, fmt::format("checking which agent {} host(s) run…", hosts.size()));
  auto drift = check_agent_versions(hosts, transport);
  std::vector<core::HostSelection> to_install;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    auto state = drift.hosts[i].state;
    if (state == core::AgentState::drifted || state == core::AgentState::missing) {
      to_install.push_back(hosts[i]);
    }
  }
  if (!to_install.empty()) {
    announce(world, fmt::format("installing drover-agent (sha256 {}) on {} host(s)…",
                                core::short_sha256(binary.sha256), to_install.size()));
  }
  return install_agents(to_install, transport, binary);
}

// What an install's result says about the host's row.
void note_install(core::HostBaseline& row, const core::AgentResult& installed,
                  const std::string& expected_sha256) {
  auto agent = core::classify_agent_version(row.host, installed, expected_sha256);
  if (agent.state == core::AgentState::current) {
    row.installed = true;
  } else {
    row.install_error = agent.detail.empty() ? std::string(to_string(agent.state)) : agent.detail;
  }
}

}  // namespace

void add_baseline_options(CLI::App& subcommand, BaselineRequest& request) {
  subcommand.add_option("words", request.words, "[staging|bot|all] [BOT_ID] (default all)");
  subcommand.add_flag("--fix", request.fix, "repair what can be repaired (idempotent)");
  subcommand.add_flag("--install-agent", request.install_agent,
                      "first install this drover's agent where it is missing or another build");
  subcommand.add_flag("--json", request.json, "one JSON document on stdout");
  add_fleet_options(subcommand, request.fleet);
}

int run_baseline(const BaselineRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto selection = fleet_check_selection(request.words, config.fleet, "baseline");
  auto transport = world.make_transport(config);
  const std::string expected(built_agent_sha256());
  std::map<core::HostName, core::AgentResult> installed;
  if (request.install_agent) installed = install_where_needed(selection.hosts, *transport, world);

  announce(world,
           fmt::format("{} the baseline of {} host(s)…",
                       request.fix ? "checking and fixing" : "checking", selection.hosts.size()));
  const auto call = baseline_call(config, request.fix);
  // One command for up to 50 instances on ssm (the same call everywhere), 16 at a time else.
  auto results =
      on_each_host(*transport, selection.hosts, [&](const core::HostSelection&) { return call; });
  core::FleetBaseline baseline;
  baseline.fix = request.fix;
  baseline.expected_sha256 = expected;
  for (std::size_t i = 0; i < selection.hosts.size(); ++i) {
    auto row = core::host_baseline_from(selection.hosts[i].name, results[i], expected);
    if (auto it = installed.find(row.host); it != installed.end()) {
      note_install(row, it->second, expected);
    }
    baseline.hosts.push_back(std::move(row));
  }
  if (request.json) {
    auto json = core::fleet_baseline_to_json(baseline);
    json["command"] = "baseline";
    world.terminal.print(json.dump() + "\n");
  } else {
    world.terminal.print(core::render_fleet_baseline(baseline));
  }
  return fleet_check_exit_code(baseline.needing_attention() == 0);
}

}  // namespace drover::cli
