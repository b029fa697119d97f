#include "core/agent_call_group.h"

#include <stdexcept>
#include <string>
#include <unordered_map>

namespace drover::core {

std::unique_ptr<AgentCallGroup> Transport::call_group() {
  return nullptr;
}

void run_together(AgentCallGroup& group, const std::vector<Host>& hosts,
                  const std::vector<AgentCall>& calls,
                  const std::function<void(std::size_t, AgentResult&&)>& take) {
  if (hosts.size() != calls.size()) {
    throw std::invalid_argument("run_together: one call per host");
  }
  std::unordered_map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!index_of.emplace(hosts[i].name, i).second) {
      throw std::invalid_argument("run_together: host " + hosts[i].name + " is named twice");
    }
  }
  if (hosts.empty()) {
    return;
  }
  group.start(hosts, calls);
  while (group.in_flight() > 0) {
    for (auto& finished : group.collect(std::chrono::seconds(1))) {
      take(index_of.at(finished.host), std::move(finished.result));
    }
  }
}

std::vector<AgentResult> run_together(AgentCallGroup& group, const std::vector<Host>& hosts,
                                      const std::vector<AgentCall>& calls) {
  std::vector<AgentResult> results(hosts.size());
  run_together(group, hosts, calls,
               [&](std::size_t i, AgentResult&& result) { results[i] = std::move(result); });
  return results;
}

}  // namespace drover::core
