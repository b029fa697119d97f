#pragma once
// The guide's interactive experience (examples b-e) on a terminal, and its plain form for a
// pipe or a log.
//
// live (a terminal): the live bar (core/live_bar.h) redrawn in place about once a second with
// the ETA and the hosts in flight at their current step ("running" when the transport cannot
// tell), fitted to the terminal's width; a line for every finished host, successes too, printed
// where the bar was (the terminal erases it first) with the bar redrawn below it.
// plain (a pipe): a line when each host starts and one when it finishes; no bar.
// Both colour ok / failed / warning when `colour` (cli/view/colour.h).
#include <memory>

#include "cli/view/rollout_view.h"

namespace drover::cli {

std::unique_ptr<RolloutView> make_terminal_view(Terminal& terminal, Clock& clock, bool live,
                                                bool colour);

}  // namespace drover::cli
