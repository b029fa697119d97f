#include "core/speed.h"

#include <fmt/format.h>

#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::core {

std::string_view to_string(SpeedName speed) {
  switch (speed) {
    case SpeedName::routine:
      return "routine";
    case SpeedName::fast:
      return "fast";
    case SpeedName::immediate:
      return "immediate";
  }
  return "routine";
}

SpeedName parse_speed(std::string_view text) {
  if (text == "routine") {
    return SpeedName::routine;
  }
  if (text == "fast") {
    return SpeedName::fast;
  }
  if (text == "immediate") {
    return SpeedName::immediate;
  }
  throw InputError("speed", fmt::format("'{}' is not a speed", printable(text)),
                   "use routine (the default), fast, or immediate (all only)");
}

void check_speed_allowed(SpeedName speed, TargetKind target) {
  if (speed != SpeedName::immediate || target == TargetKind::all) {
    return;
  }
  throw InputError(
      "speed",
      fmt::format("immediate is only for 'all': it restarts every bot at once, a fleet-wide "
                  "emergency measure, and a {} deploy gains nothing from it",
                  to_string(target)),
      fmt::format("use routine or fast for {}", to_string(target)));
}

}  // namespace drover::core
