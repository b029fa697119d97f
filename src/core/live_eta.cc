#include "core/live_eta.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <queue>

namespace drover::core {

std::optional<Duration> live_eta(const LiveEtaInput& input) {
  if (input.finished == 0) {
    return std::nullopt;
  }
  const Duration mean = input.finished_total / static_cast<long long>(input.finished);
  // When each of the window's places is free next: a host in flight frees its place once it
  // has run for the mean (now, if it already has); the other places are free now.
  std::priority_queue<Duration, std::vector<Duration>, std::greater<>> free_at;
  for (const auto age : input.in_flight_ages) {
    free_at.push(std::max(Duration(0), mean - age));
  }
  const std::size_t window = std::max<std::size_t>(1, input.window);
  while (free_at.size() < window) {
    free_at.push(Duration(0));
  }
  Duration last = Duration(0);
  for (std::size_t i = 0; i < input.not_started; ++i) {
    const auto start = free_at.top();
    free_at.pop();
    free_at.push(start + mean);
  }
  while (!free_at.empty()) {
    last = std::max(last, free_at.top());
    free_at.pop();
  }
  return last;
}

std::string render_eta(std::optional<Duration> eta) {
  if (!eta) {
    return "ETA …";
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*eta).count();
  if (seconds >= 3600) {
    return fmt::format("ETA {}h{:02}m", seconds / 3600, seconds % 3600 / 60);
  }
  if (seconds >= 60) {
    return fmt::format("ETA {}m{:02}s", seconds / 60, seconds % 60);
  }
  return fmt::format("ETA {}s", seconds);
}

}  // namespace drover::core
