#pragma once
// Where the time of one bot's swap went, step by step: the agent measures it, its swap report
// carries it (agent_report.h), the deploy journal keeps it (journal_record.h) and `drover
// show` prints it. One JSON form, {"pull":…,"create":…,…} in milliseconds, written and read
// here for the report and the journal alike. Reading is lenient: a step an older agent or
// journal does not have reads as 0, and unknown steps are ignored.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "core/json_writer.h"

namespace drover::core {

/// How long each step of one bot's swap took, in milliseconds (0: the step did not run).
/// pull, prune and login are the host's, the same for each of its bots.
struct SwapTimings {
  std::int64_t pull_ms = 0;      // the host's pull of the target image
  std::int64_t create_ms = 0;    // inspect, clone, create bot<ID>-next: while the old one runs
  std::int64_t stop_ms = 0;      // the old container's graceful stop
  std::int64_t start_ms = 0;     // the two renames and the new bot<ID>'s start
  std::int64_t settle_ms = 0;    // the settle proof
  std::int64_t cleanup_ms = 0;   // removing bot<ID>-prev
  std::int64_t prune_ms = 0;     // the host's image cleanup after its last bot (the prune runs
                                 // while the bots settle; this is what it added after them)
  std::int64_t login_ms = 0;     // the host's login read or poll
  std::int64_t downtime_ms = 0;  // from the old container's stop until a container ran again

  bool operator==(const SwapTimings&) const = default;
};

/// One step's JSON key and field.
struct SwapTimingStep {
  const char* key;
  std::int64_t SwapTimings::*field;
};

/// The steps in the order a swap passes them; the JSON keys are written here only.
inline constexpr std::array<SwapTimingStep, 9> kSwapTimingSteps{{
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

/// {"pull":…,"create":…,"stop":…,"start":…,"settle":…,"cleanup":…,"prune":…,"login":…,
///  "downtime":…}
nlohmann::json to_json(const SwapTimings& timings);
/// The same object, written by `out` (keys in nlohmann's sorted order, as to_json dumps).
void write_json(JsonWriter& out, const SwapTimings& timings);
/// Throws JsonShapeError when `object` is not an object or a step is not a number. `Reader`
/// is JsonReader or another reader of a parsed document (agent_report_read.h).
template <typename Reader>
SwapTimings read_swap_timings(const Reader& object) {
  if (!object.is_object()) {
    object.fail("expected an object of milliseconds");
  }
  SwapTimings timings;
  for (const auto& step : kSwapTimingSteps) {
    if (auto value = object.maybe(step.key)) {
      timings.*step.field = value->integer();
    }
  }
  return timings;
}

}  // namespace drover::core
