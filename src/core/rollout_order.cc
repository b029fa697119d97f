#include "core/rollout_order.h"

#include "core/start_slots.h"

namespace drover::core {

RolloutOptions rollout_options_for(const std::vector<HostSelection>& hosts,
                                   const SpeedSettings& settings,
                                   const std::set<HostName>& already_done, Random& random) {
  RolloutOptions options;
  options.hosts.reserve(hosts.size());
  std::vector<HostSelection> pending;  // the hosts this run may start
  for (const auto& host : hosts) {
    if (already_done.contains(host.name)) {
      options.hosts.push_back(host.name);
    } else {
      pending.push_back(host);
    }
  }
  if (settings.jitter.count() > 0 || settings.login_rate) {
    for (auto& slot : plan_start_slots(pending, settings.jitter, settings.login_rate, random)) {
      options.hosts.push_back(slot.host);
      options.not_before.emplace(std::move(slot.host), slot.offset);
    }
  } else {
    for (auto& host : pending) options.hosts.push_back(std::move(host.name));
  }
  options.concurrency = settings.concurrency;
  options.halt = settings.halt;
  options.already_done = already_done;
  return options;
}

}  // namespace drover::core
