#include "core/start_slots.h"

#include <algorithm>
#include <deque>
#include <numeric>

namespace drover::core {

std::vector<Duration> start_offsets(const std::vector<std::size_t>& bots, Duration spread,
                                    std::optional<std::size_t> login_rate) {
  const auto n = static_cast<Duration::rep>(bots.size());
  std::vector<Duration> offsets;
  offsets.reserve(bots.size());
  // The starts of the last second, for the cap: (offset, bots), oldest first.
  std::deque<BotStart> recent;
  std::size_t recent_bots = 0;
  const Duration second = std::chrono::seconds(1);
  Duration previous{0};
  for (Duration::rep i = 0; i < n; ++i) {
    // Integer arithmetic (ms) so the spacing never drifts: the last host starts before
    // `spread` ends, the first at 0.
    Duration at = std::max(previous, Duration(spread.count() * i / n));
    const std::size_t own = bots[static_cast<std::size_t>(i)];
    if (login_rate) {
      auto expire = [&] {
        while (!recent.empty() && recent.front().at <= at - second) {
          recent_bots -= recent.front().bots;
          recent.pop_front();
        }
      };
      expire();
      // Move later until the bots started in (at - 1 s, at] plus this host's fit the cap; a
      // host bigger than the cap waits until its second is empty.
      while (!recent.empty() && recent_bots + own > *login_rate) {
        at = recent.front().at + second;
        expire();
      }
      recent.push_back({at, own});
      recent_bots += own;
    }
    offsets.push_back(at);
    previous = at;
  }
  return offsets;
}

std::vector<StartSlot> plan_start_slots(const std::vector<HostSelection>& hosts, Duration spread,
                                        std::optional<std::size_t> login_rate, Random& random) {
  std::vector<std::size_t> order(hosts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Fisher-Yates through the Random interface, so a test's seeded Random gives one order.
  for (std::size_t i = order.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(random.uniform(0, static_cast<std::int64_t>(i - 1)));
    std::swap(order[i - 1], order[j]);
  }
  std::vector<std::size_t> bots;
  bots.reserve(order.size());
  for (auto index : order) {
    bots.push_back(hosts[index].bots.size());
  }
  const auto offsets = start_offsets(bots, spread, login_rate);
  std::vector<StartSlot> slots;
  slots.reserve(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    slots.push_back({hosts[order[i]].name, bots[i], offsets[i]});
  }
  return slots;
}

std::size_t peak_bots_per_window(std::vector<BotStart> starts, Duration window) {
  std::sort(starts.begin(), starts.end(),
            [](const BotStart& a, const BotStart& b) { return a.at < b.at; });
  // Some busiest window begins at a start, so sliding [start, start + window) over the sorted
  // starts finds the peak.
  std::size_t peak = 0;
  std::size_t in_window = 0;
  std::size_t end = 0;
  for (std::size_t begin = 0; begin < starts.size(); ++begin) {
    while (end < starts.size() && starts[end].at < starts[begin].at + window) {
      in_window += starts[end].bots;
      ++end;
    }
    peak = std::max(peak, in_window);
    in_window -= starts[begin].bots;
  }
  return peak;
}

}  // namespace drover::core
