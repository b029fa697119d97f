#include "core/rollout_order.h"

#include "core/start_slots.h"

namespace drover::core {

RolloutOptions rollout_options_for(const std::vector<HostSelection>& hosts,
                                   const SpeedSettings& settings,
                                   const std::set<HostName>& already_done, Random& random) {
  RolloutOptions options;
  options.hosts.reserve(hosts.size());
  std::vector<HostSelection> pending;  // the hosts this run may start, when some are done
  if (!already_done.empty()) {
    for (const auto& host : hosts) {
      if (already_done.contains(host.name)) {
        options.hosts.push_back(host.name);
      } else {
        pending.push_back(host);
      }
    }
  }
  // No copy of the plan's hosts (with their bots) when nothing is done: the simulator calls
  // this for every run of a 10,000-host fleet.
  const auto& startable = already_done.empty() ? hosts : pending;
  if (settings.jitter.count() > 0 || settings.login_rate) {
    options.slots.assign(options.hosts.size(), Duration(0));  // the done ones never start
    for (auto& slot : plan_start_slots(startable, settings.jitter, settings.login_rate, random)) {
      options.hosts.push_back(std::move(slot.host));
      options.slots.push_back(slot.offset);
    }
  } else {
    for (const auto& host : startable) {
      options.hosts.push_back(host.name);
    }
  }
  options.concurrency = settings.concurrency;
  options.halt = settings.halt;
  options.already_done = already_done;
  return options;
}

}  // namespace drover::core
