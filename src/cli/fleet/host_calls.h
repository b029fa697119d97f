#pragma once
// One agent call on each of many hosts, a bounded number at a time: the fleet checks
// (`drover baseline`, `drover drift`, the deploy's drift preflight) ask 178 hosts in seconds
// without opening 178 SSH/SSM sessions at once.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/target.h"
#include "core/transport.h"

namespace drover::cli {

/// How many hosts a fleet check asks at once.
inline constexpr std::size_t kFleetCheckWindow = 16;

/// Runs `call(host)` for every host, at most `window` at once (a sliding window: the next
/// host starts as soon as one finishes), and returns the results in the hosts' order. An
/// exception thrown by a call (a bug: transports report failures as results) is rethrown
/// here after every started call has ended.
std::vector<core::AgentResult> on_each_host(
    const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentResult(const core::HostSelection&)>& call,
    std::size_t window = kFleetCheckWindow);

/// The agent on every host with `call_for(host)`: all at once from this thread when the
/// transport has a call group (ssm sends one command to up to 50 instances), else on each host,
/// `window` at a time. Results in the hosts' order.
std::vector<core::AgentResult> on_each_host(
    core::Transport& transport, const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentCall(const core::HostSelection&)>& call_for,
    std::size_t window = kFleetCheckWindow);

/// The same, handing each host's result to `take(index in hosts, result)` as it comes (on this
/// thread) instead of keeping them all: a 10,000-host verification holds its bots' statuses,
/// not 10,000 agent reports.
void for_each_host_result(
    core::Transport& transport, const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentCall(const core::HostSelection&)>& call_for,
    const std::function<void(std::size_t, core::AgentResult&&)>& take,
    std::size_t window = kFleetCheckWindow);

}  // namespace drover::cli
