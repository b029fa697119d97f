#pragma once
// The speed table the operator chooses from (guide, example a):
//
//   Deploy speed for ALL 178 production hosts (~534 bots):
//     speed      hosts/at  ~logins  stop  halt-errs  est. time
//     routine    5         ~15      35s   10%        ~15-30 min
//     fast       10        ~30      20s   10%        ~8-15 min
//     immediate  ALL       ~534     5s    never      fires over ~60s
//   choose 1=routine 2=fast 3=immediate:
//
// The numbers come from the configured SpeedTable and the selected hosts, so an override
// shows up here. The immediate row and choice are offered only for `all`.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/speed.h"
#include "core/speed_settings.h"
#include "core/target.h"

namespace drover::core {

/// "10%" or "never".
std::string format_halt(const HaltThreshold& halt);

/// Steam logins in flight at once: the window's hosts × the average bots per host
/// (all bots when every host runs at once).
std::size_t simultaneous_logins(const SpeedSettings& speed, std::size_t hosts, std::size_t bots);

/// The header line and the table, each line ending in '\n'.
std::string render_speed_table(const SpeedTable& speeds, const Selection& selection);

/// "choose 1=routine 2=fast 3=immediate: " (no newline; the answer follows on the line).
std::string speed_prompt(TargetKind target);

/// The operator's answer to speed_prompt: 1/2/3 or a speed's name, surrounding whitespace
/// ignored; an empty answer takes the default, routine. Throws InputError for anything else,
/// and for immediate when the target is not `all`.
SpeedName parse_speed_choice(std::string_view answer, TargetKind target);

}  // namespace drover::core
