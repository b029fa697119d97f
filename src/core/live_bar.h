#pragma once
// The live bar of a rollout on a terminal (issue 14): the guide's line
//
//   [############........] 104/178 hosts · 0 errors · 612s · ETA 4m10s · host-7 pull, host-9 settle
//   +3
//
// and, while hosts wait for their storm start slot, "· next start in 2s" after the hosts in
// flight (the storm's pace would otherwise look like a stall),
// with the ETA (core/live_eta.h) and the hosts in flight at their current step, fitted to the
// terminal's width: it must stay on one line to be redrawn in place. What does not fit goes,
// least useful first: the next start, the hosts in flight (then only their count), the bar's
// cells (down to 5,
// then the bar), the elapsed time, the ETA; as a last resort the line is cut with "…".
#include <string>
#include <vector>

#include "core/rollout_result.h"

namespace drover::core {

struct InFlightHost {
  std::string host;
  std::string step;  // "pull", "stop", …; "running" when the transport cannot tell
};

struct LiveBar {
  RolloutProgress progress;  // its next_start_in shows as "next start in 2s"
  std::string eta;           // "ETA 4m10s" or "ETA …"
  std::vector<InFlightHost> in_flight;
};

/// The line, at most `width - 1` code points wide (the last column is left free: a line that
/// fills it puts some terminals at the start of the next line).
std::string render_live_bar(const LiveBar& bar, std::size_t width);

/// `text` cut to at most `max` code points, ending in "…" when it was cut.
std::string fit_text(const std::string& text, std::size_t max);

}  // namespace drover::core
