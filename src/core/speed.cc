#include "core/speed.h"

#include <fmt/format.h>

#include "core/input_error.h"
#include "core/name_table.h"
#include "core/printable_text.h"

namespace drover::core {

namespace {

constexpr NameTable<SpeedName, 3> kSpeedNames{{
    {SpeedName::routine, "routine"},
    {SpeedName::fast, "fast"},
    {SpeedName::immediate, "immediate"},
}};
static_assert(covers_every_value(kSpeedNames));

}  // namespace

std::string_view to_string(SpeedName speed) {
  return name_of(kSpeedNames, speed);
}

SpeedName parse_speed(std::string_view text) {
  if (auto speed = value_named(kSpeedNames, text)) return *speed;
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
