#pragma once
// RFC 3339 timestamps as Docker writes them (State.StartedAt: "2026-06-12T09:41:07.123456789Z",
// or with a numeric offset). The log probe needs the start of the container's current run to
// read only that run's log lines; the settle proof measures its window from it, to the
// nanosecond the engine reports.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/clock.h"

namespace drover {

/// Seconds since the Unix epoch, rounded down (fractional seconds are dropped, so the second
/// the container started is included). nullopt when `text` is not an RFC 3339 date-time:
/// YYYY-MM-DD, 'T' (or 't' / ' '), hh:mm:ss, optional .fraction, then 'Z' (or 'z') or ±hh:mm.
/// Dates are checked (no Feb 30); a leap second (:60) is accepted as the next second.
std::optional<std::int64_t> parse_rfc3339_unix_seconds(std::string_view text);

/// Nanoseconds since the Unix epoch (digits past the ninth fractional one are dropped).
/// nullopt as for parse_rfc3339_unix_seconds, and when the value does not fit 64 bits
/// (years before 1677 or after 2262: Docker's "never" is 0001-01-01T00:00:00Z).
std::optional<std::int64_t> parse_rfc3339_unix_nanos(std::string_view text);

/// "2026-06-12T09:41:07.123Z": `time` in UTC to the millisecond (rounded down), as drover's
/// own timestamps are written (the --json events).
std::string format_rfc3339_utc_millis(WallTime time);

}  // namespace drover
