#pragma once
// `drover baseline` across the fleet: each host's answer to `drover-agent baseline`, turned
// into one table row, the problems under it, and a summary line.
//
//   host    docker on boot  resolv.conf    log rotation  free disk  agent
//   host-2  NOT enabled     0640           local         12.3 GiB   0.1.0 ✓
//   host-3  -               -              -             -          unreachable
//   host-1  enabled         0644           max-size 10m  40.1 GiB   0.1.0 ✓
//
//   host-2: docker on boot: docker is 'disabled' at boot, … --fix runs `systemctl enable docker`
//   host-3: unreachable: ssh: connect to host 10.0.0.7 port 22: Connection refused
//   3 hosts: 1 ok, 2 need attention (run drover baseline --fix; check how …)
//
// Hosts needing attention come first, each group in fleet order. Unreachable hosts, hosts
// without an agent and agents that failed are rows too: nothing is dropped.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_drift.h"
#include "core/agent_report.h"
#include "core/fleet.h"
#include "core/transport.h"

namespace drover::core {

/// How far the host got: it answered with its checks, or why it did not.
enum class BaselineAnswer { checked, unreachable, agent_missing, agent_error };

struct HostBaseline {
  HostName host;
  BaselineAnswer answer = BaselineAnswer::unreachable;
  std::vector<BaselineCheck> checks;  // when checked, in the agent's order
  AgentState agent = AgentState::unreachable;
  std::string agent_version;
  std::string agent_sha256;
  std::string detail;         // when not checked: why, in one line
  bool installed = false;     // --install-agent put this drover's agent there in this run
  std::string install_error;  // --install-agent tried and failed: why

  bool needs_attention() const;
};

/// A host's row from the result of its `baseline` call.
HostBaseline host_baseline_from(const HostName& host, const AgentResult& result,
                                std::string_view expected_sha256);

struct FleetBaseline {
  bool fix = false;  // --fix was asked for
  std::string expected_sha256;
  std::vector<HostBaseline> hosts;  // in fleet order

  std::size_t needing_attention() const;
  std::size_t fixes_made() const;
};

/// The table, one line per problem (and per fix made), and the summary line.
std::string render_fleet_baseline(const FleetBaseline& baseline);

/// The short table cell of one check: "enabled", "NOT enabled", "0640 → fixed", "12.3 GiB".
std::string check_cell(const BaselineCheck& check);

/// The summary line: "3 hosts: 1 ok, 2 need attention (run drover baseline --fix)".
std::string baseline_summary(const FleetBaseline& baseline);

/// {"fix", "expected_agent_sha256", "hosts": [...], "summary": {...}} for --json.
nlohmann::json fleet_baseline_to_json(const FleetBaseline& baseline);

}  // namespace drover::core
