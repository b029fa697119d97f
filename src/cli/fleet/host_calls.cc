#include "cli/fleet/host_calls.h"

#include "cli/fleet/agent_calls.h"
#include "core/agent_call_group.h"
#include "util/worker_pool.h"

namespace drover::cli {

std::vector<core::AgentResult> on_each_host(
    const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentResult(const core::HostSelection&)>& call, std::size_t window) {
  std::vector<core::AgentResult> results(hosts.size());
  // The pool's workers take the next host as soon as they are free: a slow host holds one
  // worker, not a whole batch.
  WorkerPool workers(window);
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    workers.submit([&results, &hosts, &call, i] { results[i] = call(hosts[i]); });
  }
  workers.wait();
  return results;
}

void for_each_host_result(
    core::Transport& transport, const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentCall(const core::HostSelection&)>& call_for,
    const std::function<void(std::size_t, core::AgentResult&&)>& take, std::size_t window) {
  if (auto group = transport.call_group()) {
    std::vector<core::Host> targets;
    std::vector<core::AgentCall> calls;
    targets.reserve(hosts.size());
    calls.reserve(hosts.size());
    for (const auto& host : hosts) {
      targets.push_back(host_of(host));
      calls.push_back(call_for(host));
    }
    core::run_together(*group, targets, calls, take);
    return;
  }
  auto results = on_each_host(
      hosts,
      [&](const core::HostSelection& host) {
        return transport.run_agent(host_of(host), call_for(host));
      },
      window);
  for (std::size_t i = 0; i < results.size(); ++i) {
    take(i, std::move(results[i]));
  }
}

std::vector<core::AgentResult> on_each_host(
    core::Transport& transport, const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentCall(const core::HostSelection&)>& call_for,
    std::size_t window) {
  std::vector<core::AgentResult> results(hosts.size());
  for_each_host_result(
      transport, hosts, call_for,
      [&](std::size_t i, core::AgentResult&& result) { results[i] = std::move(result); }, window);
  return results;
}

}  // namespace drover::cli
