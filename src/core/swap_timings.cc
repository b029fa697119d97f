#include "core/swap_timings.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace drover::core {
namespace {

using Field = std::int64_t SwapTimings::*;
struct Step {
  const char* key;
  Field field;
};

// The steps in the order a swap passes them; the JSON keys are written here only.
constexpr std::array<Step, 9> kSteps{{
    {"pull", &SwapTimings::pull_ms},
    {"create", &SwapTimings::create_ms},
    {"stop", &SwapTimings::stop_ms},
    {"start", &SwapTimings::start_ms},
    {"settle", &SwapTimings::settle_ms},
    {"cleanup", &SwapTimings::cleanup_ms},
    {"prune", &SwapTimings::prune_ms},
    {"login", &SwapTimings::login_ms},
    {"downtime", &SwapTimings::downtime_ms},
}};

}  // namespace

nlohmann::json to_json(const SwapTimings& timings) {
  auto out = nlohmann::json::object();
  for (const auto& step : kSteps) {
    out[step.key] = timings.*step.field;
  }
  return out;
}

void write_json(JsonWriter& out, const SwapTimings& timings) {
  // nlohmann's objects keep their keys sorted, and so its dump writes them.
  static const auto sorted = [] {
    auto steps = kSteps;
    std::sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
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

SwapTimings read_swap_timings(const JsonReader& object) {
  if (!object.raw().is_object()) {
    object.fail("expected an object of milliseconds");
  }
  SwapTimings timings;
  for (const auto& step : kSteps) {
    if (auto value = object.maybe(step.key)) {
      timings.*step.field = value->integer();
    }
  }
  return timings;
}

}  // namespace drover::core
