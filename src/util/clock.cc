#include "util/clock.h"

#include <thread>

namespace drover {

TimePoint SteadyClock::now() {
  return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
}

void SteadyClock::sleep_for(Duration d) {
  std::this_thread::sleep_for(d);
}

WallTime SteadyClock::wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace drover
