#include "cli/fleet/host_calls.h"

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

}  // namespace drover::cli
