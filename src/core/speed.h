#pragma once
// The three deploy speeds of the guide, by name. What each one means in numbers is
// SpeedSettings (speed_settings.h); this file is only the name and who may use it.
#include <string_view>

#include "core/target.h"

namespace drover::core {

enum class SpeedName { routine, fast, immediate };

inline constexpr SpeedName kDefaultSpeed = SpeedName::routine;

/// "routine" | "fast" | "immediate".
std::string_view to_string(SpeedName speed);
/// Parses "routine" | "fast" | "immediate"; throws InputError naming the three otherwise.
SpeedName parse_speed(std::string_view text);

/// immediate restarts every bot of the fleet at once; it exists for whole-fleet emergencies
/// and is refused for staging and single-bot deploys (InputError with that reason).
void check_speed_allowed(SpeedName speed, TargetKind target);

}  // namespace drover::core
