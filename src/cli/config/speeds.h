#pragma once
// The [speeds] section of drover.toml: overrides of the guide's speed table, field by field.
//
//   [speeds.routine]          # also [speeds.fast] and [speeds.immediate]
//   concurrency = 5           # hosts at a time (≥ 1); "all" only for immediate
//   stop_timeout = 35         # graceful stop, whole seconds, 1..3600
//   halt_percent = 10         # halt once failed hosts exceed this % (0..100); "never" only for
//                             # immediate
//   settle = 10               # seconds the new container must stay up, 1..3600
//   login_poll = true         # poll the login probe after the swap (never for immediate)
//   login_wait = 25           # how long that poll may take, 0..3600 seconds
//   jitter = 0                # storm window: host starts spread evenly over it, 0..3600 s
//   login_rate = 10           # at most this many bots start per second, 1..100000 (no cap
//                             # unless set; any speed)
//
// Overrides that would turn one speed into another are refused: immediate is "every host at
// once, never halt, no login poll" by definition, and routine and fast are fixed host counts
// that halt on errors. Unset fields keep core::default_speed_settings.
#include <optional>

#include "cli/config/table.h"
#include "core/speed_settings.h"

namespace drover::cli {

/// The speed table from the [speeds] table (nullopt: no section, every default).
core::SpeedTable read_speed_table(const std::optional<ConfigTable>& speeds);

}  // namespace drover::cli
