#pragma once
// The fleet the CLI's unit tests deploy to: host-1 … host-n (production, bots 100i+1 and
// 100i+2), then staging-1 (bot 9901).
#include <string>
#include <vector>

#include "core/fleet.h"

namespace drover::testing {

inline std::vector<core::Host> fleet_of(int production_hosts) {
  std::vector<core::Host> hosts;
  for (int i = 1; i <= production_hosts; ++i) {
    hosts.push_back({"host-" + std::to_string(i),
                     std::nullopt,
                     {static_cast<core::BotId>(100 * i + 1), static_cast<core::BotId>(100 * i + 2)},
                     core::HostGroup::production});
  }
  hosts.push_back({"staging-1", std::nullopt, {9901}, core::HostGroup::staging});
  return hosts;
}

/// One host at a time, so which host runs when is the plan's order.
inline const std::string kOneAtATime = "[speeds.routine]\nconcurrency = 1\n";

}  // namespace drover::testing
