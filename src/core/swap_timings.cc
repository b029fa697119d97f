#include "core/swap_timings.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace drover::core {
nlohmann::json to_json(const SwapTimings& timings) {
  auto out = nlohmann::json::object();
  for (const auto& step : kSwapTimingSteps) {
    out[step.key] = timings.*step.field;
  }
  return out;
}

void write_json(JsonWriter& out, const SwapTimings& timings) {
  // nlohmann's objects keep their keys sorted, and so its dump writes them.
  static const auto sorted = [] {
    auto steps = kSwapTimingSteps;
    std::sort(steps.begin(), steps.end(), [](const SwapTimingStep& a, const SwapTimingStep& b) {
      return std::string_view(a.key) < std::string_view(b.key);
    });
    return steps;
  }();
  out.begin_object();
  for (const auto& step : sorted) {
    out.key(step.key).integer(timings.*step.field);
  }
  out.end_object();
}

}  // namespace drover::core
