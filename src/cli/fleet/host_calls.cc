#include "cli/fleet/host_calls.h"

#include <map>
#include <string>

#include "cli/fleet/agent_calls.h"
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

std::vector<core::AgentResult> on_each_host(
    core::Transport& transport, const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentCall(const core::HostSelection&)>& call_for,
    std::size_t window) {
  std::vector<core::Host> targets;
  std::map<std::string, std::size_t> index_of;  // host names are unique in a fleet
  targets.reserve(hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    targets.push_back(host_of(hosts[i]));
    index_of.emplace(hosts[i].name, i);
  }
  auto batched = transport.run_batch(targets, [&](const core::Host& target) {
    return call_for(hosts.at(index_of.at(target.name)));
  });
  if (batched) {
    return std::move(*batched);
  }
  return on_each_host(
      hosts,
      [&](const core::HostSelection& host) {
        return transport.run_agent(host_of(host), call_for(host));
      },
      window);
}

}  // namespace drover::cli
