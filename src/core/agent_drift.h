#pragma once
// The drift guard (operator guide: "sha256-verifies every host runs the repo's host script"):
// which drover-agent build each host runs, judged against the build this drover was made with.
// `drover drift`, the fleet table of `drover baseline` and the preflight of `drover deploy` all
// classify through here, so they never disagree about a host.
//
//   current      the agent answered `version` with this drover's sha256
//   drifted      it answered with another sha256, or answered `version` in a way this build
//                never does (bad output, an error): it is not this build
//   missing      the host was reached and has no runnable agent
//   unreachable  the host did not answer (no connection, or `version` timed out): unknown,
//                which is not drift
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_preflight.h"
#include "core/fleet.h"
#include "core/transport.h"

namespace drover::core {

enum class AgentState { current, drifted, missing, unreachable };

/// "current", "drifted", "missing", "unreachable".
std::string_view to_string(AgentState state);

struct HostAgent {
  HostName host;
  AgentState state = AgentState::unreachable;
  std::string version;  // what the agent says it is ("0.1.0"); empty when it did not say
  std::string sha256;   // the sha256 of the binary that answered; empty when unknown
  std::string detail;   // for every state but current: what happened, in one line
};

/// The state of `host`'s agent from the result of running its `version` command.
HostAgent classify_agent_version(const HostName& host, const AgentResult& result,
                                 std::string_view expected_sha256);

/// The state of an agent that answered another command with its version and sha256 (baseline
/// does): current when `sha256` is the expected one, else drifted.
AgentState state_of_sha256(std::string_view sha256, std::string_view expected_sha256);

/// The first 12 hex digits, as the operator reads a sha256 in a list; "?" for an empty one.
std::string short_sha256(std::string_view sha256);

struct DriftReport {
  std::string expected_sha256;
  std::vector<HostAgent> hosts;  // in fleet order

  std::vector<HostName> hosts_in(AgentState state) const;
  /// Every host runs this drover's agent build.
  bool clean() const;
};

/// Every host that is not current, by name with what it runs, then one summary line:
///   drover-agent build of this drover: sha256 1a2b3c4d5e6f
///     drifted      host-2  runs 0.1.0, sha256 9f8e7d6c5b4a
///     missing      host-3  cannot start the agent … (transport's detail)
///     unreachable  host-4  ssh: connect to host … refused
///   4 hosts: 1 runs this build, 1 drifted, 1 missing, 1 unreachable (run drover baseline
///   --install-agent for drifted and missing agents)
std::string render_drift_report(const DriftReport& report);

/// {"expected_sha256", "clean", "hosts": [{"host","state","version","sha256","detail"}],
///  "summary": {"hosts","current","drifted","missing","unreachable"}}
nlohmann::json drift_to_json(const DriftReport& report);

/// The plan's record of the preflight; `allowed` is --allow-drift.
AgentPreflight make_preflight(const DriftReport& report, bool allowed);

/// The one-line refusal of a deploy the preflight blocks (without "drover: error: ").
std::string preflight_refusal(const AgentPreflight& preflight);

/// "host-1, host-2, host-3" with at most `limit` names and "… and N more" after them.
std::string host_list(const std::vector<HostName>& hosts, std::size_t limit = 8);

}  // namespace drover::core
