#pragma once
// Fleets shared by the core unit tests: the guide's production fleet (178 hosts × 3 bots
// = 534 bots, plus the staging trio 898/899/900 on one host) and a small one.
#include <cstddef>
#include <string>
#include <vector>

#include "core/fleet.h"
#include "core/target.h"

namespace drover::core::testfleets {

/// host-1 … host-<hosts>, bots 1000+3i … in production, then staging-1 with 898/899/900.
inline Fleet guide_fleet(std::size_t hosts = 178) {
  std::vector<Host> list;
  for (std::size_t i = 0; i < hosts; ++i) {
    const BotId first = 1000 + static_cast<BotId>(3 * i);
    list.push_back({"host-" + std::to_string(i + 1),
                    std::nullopt,
                    {first, first + 1, first + 2},
                    HostGroup::production});
  }
  list.push_back({"staging-1", std::string("10.0.0.9"), {898, 899, 900}, HostGroup::staging});
  return Fleet("tradebot", std::move(list));
}

/// host-1 … host-<n> with `bots_each` bots each (1000, 1001, …): a rollout's host selection.
inline std::vector<HostSelection> hosts_of(std::size_t n, std::size_t bots_each = 3) {
  std::vector<HostSelection> hosts;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<BotId> bots;
    for (std::size_t b = 0; b < bots_each; ++b) {
      bots.push_back(static_cast<BotId>(1000 + i * bots_each + b));
    }
    hosts.push_back({"host-" + std::to_string(i + 1), std::nullopt, bots});
  }
  return hosts;
}

/// host-1 {539,540,541}, host-2 {542,543,544}, staging-1 {898,899,900}.
inline Fleet small_fleet() {
  return Fleet("tradebot", {{"host-1", std::nullopt, {539, 540, 541}, HostGroup::production},
                            {"host-2", std::nullopt, {542, 543, 544}, HostGroup::production},
                            {"staging-1", std::nullopt, {898, 899, 900}, HostGroup::staging}});
}

}  // namespace drover::core::testfleets
