#pragma once
// `drover baseline --install-agent`: put the drover-agent built with this drover on the hosts
// that lack it or run another build.
#include <map>
#include <vector>

#include "core/fleet.h"
#include "core/target.h"
#include "core/transport.h"

namespace drover::cli {

/// The drover-agent beside this drover, checked to be the very build this drover was made
/// with. Throws core::InputError (nothing installed anywhere) when it is missing or differs:
/// installing it would plant drift instead of curing it.
core::AgentBinary verified_agent_beside_this_program();

/// Installs `binary` on `hosts`: on the first one alone, then re-asks the others which agent
/// they run (hosts can share an agent file, as every local host does) and installs on those
/// still needing it, a bounded number at once. A broken install thus fails on one host, not
/// on the fleet. Returns the install result per host that was installed on.
std::map<core::HostName, core::AgentResult> install_agents(
    const std::vector<core::HostSelection>& hosts, core::Transport& transport,
    const core::AgentBinary& binary);

}  // namespace drover::cli
