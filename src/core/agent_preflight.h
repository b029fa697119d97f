#pragma once
// What the drift preflight of `drover deploy` found on the plan's hosts, kept in the plan so
// the plan box shows it and the journal records what the operator deployed over. Hosts are
// named in fleet order. A host that did not answer is not drift: it stays in the plan and
// fails in the rollout, counting against the error halt like any other failure.
#include <cstddef>
#include <string>
#include <vector>

#include "core/fleet.h"

namespace drover::core {

struct AgentPreflight {
  std::string expected_sha256;        // the drover-agent build this drover carries
  std::size_t hosts = 0;              // how many hosts were asked
  std::vector<HostName> drifted;      // run another agent build
  std::vector<HostName> missing;      // have no runnable agent
  std::vector<HostName> unreachable;  // did not answer the preflight
  bool drift_allowed = false;         // --allow-drift: deploy over drifted/missing anyway

  /// Hosts that would run an agent this drover was not built with (or none).
  bool found_drift() const { return !drifted.empty() || !missing.empty(); }
  /// The deploy must not start.
  bool blocks() const { return found_drift() && !drift_allowed; }

  bool operator==(const AgentPreflight&) const = default;
};

}  // namespace drover::core
