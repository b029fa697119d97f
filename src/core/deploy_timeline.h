#pragma once
// A deploy's timeline, laid out from its journal: one row per planned host (plan order) with
// when it waited and when it swapped, how it ended, and where the error halt or the operator's
// interrupt stopped new starts. What `drover show ID --html` draws (cli/view/deploy_html.h);
// pure: a replayed journal in, numbers out.
//
// Times are offsets from the start of the rollout on the scheduler's clock (HostRecord::started,
// RolloutResult::stopped_after). A host's row:
//   [0, started)               waiting: for its start slot (storm control, login cap) or for a
//                              place in the concurrency window; the journal cannot tell which
//   [started, started + took)  its agent's run. With the agent's per-step timings (journals
//                              since issue 10; bots swap in parallel, so each step is its
//                              longest bot's): agent (what no step accounts for: transport,
//                              agent start, recover, checks), pull, swap (create, stop, start),
//                              settle (settle proof, cleanup), prune, login, in that order.
//                              Without them: one "swap" segment.
// Journals written before drover recorded start times: every row starts at 0 and
// start_times_recorded is false (the page says so). A resumed deploy's rows are each host's
// latest attempt, timed from the start of the run that made it (resumed is true).
// Hosts without a record are "not started" (the halt or interrupt held them back), "not waited
// for" (a second interrupt ended drover while they ran) or "no record" (no result either: drover
// stopped before the end, or still runs); their row spans from the stop (or 0) to the end.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/journal_replay.h"
#include "core/rollout_result.h"
#include "util/clock.h"

namespace drover::core {

enum class TimelineOutcome { ok, failed, rolled_back, not_started, not_waited_for, no_record };

/// "ok", "failed", "rolled back", "not started", "not waited for", "no record".
std::string_view to_string(TimelineOutcome outcome);

enum class TimelineStep {
  waiting,  // before its start: slot or window
  agent,    // the part of the run no measured step accounts for
  pull,
  swap,    // create, stop, start; the whole run when no step was measured
  settle,  // the settle proof and the old container's removal
  prune,
  login,
  absent,  // no run recorded (not started, not waited for, no record)
};

/// "waiting for its start", "agent, transport", "pull", "swap", "settle", "prune", "login",
/// "no run recorded".
std::string_view to_string(TimelineStep step);

struct TimelineSegment {
  TimelineStep step = TimelineStep::swap;
  Duration begin{0};
  Duration end{0};

  bool operator==(const TimelineSegment&) const = default;
};

struct TimelineRow {
  HostName host;
  TimelineOutcome outcome = TimelineOutcome::ok;
  std::vector<TimelineSegment> segments;  // in time order, none empty
  std::optional<Duration> took;           // its run's duration, when it has a record
  std::string reason;                     // a failure's reason, as journaled
  std::size_t attempts = 0;               // host records of it in the journal
};

/// The error halt or the operator's interrupt, when it held hosts back.
struct TimelineStop {
  RolloutStatus status = RolloutStatus::halted;  // halted or interrupted
  std::optional<Duration> at;                    // nullopt: the journal did not record when
};

struct DeployTimeline {
  std::vector<TimelineRow> rows;  // one per planned host, in plan order
  Duration span{0};               // the axis: the latest end of anything drawn (at least 1 ms)
  std::optional<TimelineStop> stop;
  bool start_times_recorded = true;  // false: some host record has no start time
  bool resumed = false;              // a host was recorded more than once
  bool step_times_recorded = false;  // some run is split into its agent's measured steps
};

DeployTimeline deploy_timeline(const JournalReplay& replay);

/// A time on the axis: "850ms", "3.5s", "42s", "4m10s", "1h02m".
std::string timeline_time_text(Duration d);

}  // namespace drover::core
