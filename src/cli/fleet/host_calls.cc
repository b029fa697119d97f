#include "cli/fleet/host_calls.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace drover::cli {

std::vector<core::AgentResult> on_each_host(
    const std::vector<core::HostSelection>& hosts,
    const std::function<core::AgentResult(const core::HostSelection&)>& call, std::size_t window) {
  std::vector<core::AgentResult> results(hosts.size());
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  // Each worker takes the next host until none is left: a slow host holds one worker, not a
  // whole batch.
  auto worker = [&] {
    for (auto i = next++; i < hosts.size(); i = next++) {
      try {
        results[i] = call(hosts[i]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    const auto count = std::min(std::max<std::size_t>(window, 1), hosts.size());
    for (std::size_t w = 0; w < count; ++w) workers.emplace_back(worker);
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace drover::cli
