#include "core/deploy_timeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace drover::core {

namespace {

bool any_rolled_back(const HostRecord& record) {
  return std::any_of(record.bots.begin(), record.bots.end(), [](const BotRecord& bot) {
    return bot.outcome == BotSwapOutcome::rolled_back;
  });
}

TimelineOutcome outcome_of(const HostRecord& record) {
  if (record.outcome.ok()) return TimelineOutcome::ok;
  return any_rolled_back(record) ? TimelineOutcome::rolled_back : TimelineOutcome::failed;
}

void add_segment(TimelineRow& row, TimelineStep step, Duration begin, Duration end) {
  if (end > begin) row.segments.push_back({step, begin, end});
}

// The run's steps as the agent measured them: bots swap in parallel, so each step lasts as long
// as its slowest bot's (pull, prune and login are the host's, the same for each bot).
struct StepTimes {
  std::int64_t pull = 0, swap = 0, settle = 0, prune = 0, login = 0;
  std::int64_t total() const { return pull + swap + settle + prune + login; }
};

StepTimes step_times(const HostRecord& record) {
  StepTimes steps;
  for (const auto& bot : record.bots) {
    const auto& t = bot.timings;
    steps.pull = std::max(steps.pull, t.pull_ms);
    steps.swap = std::max(steps.swap, t.create_ms + t.stop_ms + t.start_ms);
    steps.settle = std::max(steps.settle, t.settle_ms + t.cleanup_ms);
    steps.prune = std::max(steps.prune, t.prune_ms);
    steps.login = std::max(steps.login, t.login_ms);
  }
  return steps;
}

// The run [start, start + took) split into the measured steps, the unmeasured rest first. A
// journal whose steps add up to more than the run (an edited one) has them scaled to fit.
void add_steps(TimelineRow& row, const StepTimes& steps, Duration start, Duration took) {
  const auto run = took.count();
  const auto total = steps.total();
  const double scale = total > run ? static_cast<double>(run) / static_cast<double>(total) : 1.0;
  auto at = start + Duration(std::max<std::int64_t>(0, run - total));
  add_segment(row, TimelineStep::agent, start, at);
  for (const auto& [step, ms] :
       {std::pair{TimelineStep::pull, steps.pull}, std::pair{TimelineStep::swap, steps.swap},
        std::pair{TimelineStep::settle, steps.settle}, std::pair{TimelineStep::prune, steps.prune},
        std::pair{TimelineStep::login, steps.login}}) {
    const auto end = at + Duration(static_cast<std::int64_t>(static_cast<double>(ms) * scale));
    add_segment(row, step, at, end);
    at = end;
  }
  // Scaling rounds down: the last step ends where the run does.
  if (scale < 1.0 && !row.segments.empty()) row.segments.back().end = start + took;
}

// A row for a host with a record: the wait before its start, then its run.
TimelineRow recorded_row(const HostRecord& record, std::size_t attempts, bool& steps_drawn) {
  TimelineRow row;
  row.host = record.host;
  row.outcome = outcome_of(record);
  row.took = record.took;
  row.attempts = attempts;
  if (!record.outcome.ok()) row.reason = record.outcome.reason;
  // A clock that stepped back (or an edited journal) must not draw backwards.
  const Duration start = std::max(Duration(0), record.started.value_or(Duration(0)));
  const Duration took = std::max(Duration(0), record.took);
  add_segment(row, TimelineStep::waiting, Duration(0), start);
  const auto steps = step_times(record);
  if (steps.total() > 0 && took.count() > 0) {
    add_steps(row, steps, start, took);
    steps_drawn = true;
  } else {
    // A run shorter than a millisecond still gets a sliver: every run is visible.
    add_segment(row, TimelineStep::swap, start, start + std::max(took, Duration(1)));
  }
  return row;
}

}  // namespace

std::string_view to_string(TimelineOutcome outcome) {
  switch (outcome) {
    case TimelineOutcome::ok:
      return "ok";
    case TimelineOutcome::failed:
      return "failed";
    case TimelineOutcome::rolled_back:
      return "rolled back";
    case TimelineOutcome::not_started:
      return "not started";
    case TimelineOutcome::not_waited_for:
      return "not waited for";
    case TimelineOutcome::no_record:
      return "no record";
  }
  return "?";
}

std::string_view to_string(TimelineStep step) {
  switch (step) {
    case TimelineStep::waiting:
      return "waiting for its start";
    case TimelineStep::agent:
      return "agent, transport";
    case TimelineStep::pull:
      return "pull";
    case TimelineStep::swap:
      return "swap";
    case TimelineStep::settle:
      return "settle";
    case TimelineStep::prune:
      return "prune";
    case TimelineStep::login:
      return "login";
    case TimelineStep::absent:
      return "no run recorded";
  }
  return "?";
}

DeployTimeline deploy_timeline(const JournalReplay& replay) {
  DeployTimeline timeline;
  std::map<HostName, const HostRecord*> latest;
  std::map<HostName, std::size_t> attempts;
  for (const auto& record : replay.hosts) {
    latest[record.host] = &record;
    if (++attempts[record.host] > 1) timeline.resumed = true;
    if (!record.started) timeline.start_times_recorded = false;
  }

  std::set<HostName> not_started;
  std::set<HostName> not_waited_for;
  if (replay.result) {
    const auto& result = replay.result->result;
    not_started.insert(result.not_started.begin(), result.not_started.end());
    not_waited_for.insert(result.not_waited_for.begin(), result.not_waited_for.end());
    timeline.span = std::max(timeline.span, result.elapsed);
    if (result.status == RolloutStatus::halted || result.status == RolloutStatus::interrupted) {
      timeline.stop = TimelineStop{result.status, result.stopped_after};
      if (result.stopped_after) timeline.span = std::max(timeline.span, *result.stopped_after);
    }
  }

  for (const auto& record : replay.hosts) {
    const Duration start = std::max(Duration(0), record.started.value_or(Duration(0)));
    timeline.span = std::max(timeline.span, start + std::max(record.took, Duration(1)));
  }
  timeline.span = std::max(timeline.span, Duration(1));

  const Duration absent_from = timeline.stop && timeline.stop->at
                                   ? std::min(*timeline.stop->at, timeline.span)
                                   : Duration(0);
  for (const auto& host : replay.plan.selection.hosts) {
    if (const auto found = latest.find(host.name); found != latest.end()) {
      timeline.rows.push_back(
          recorded_row(*found->second, attempts[host.name], timeline.step_times_recorded));
      continue;
    }
    TimelineRow row;
    row.host = host.name;
    if (not_waited_for.contains(host.name)) {
      // Started before the stop, at a time no record keeps: drawn over the whole axis.
      row.outcome = TimelineOutcome::not_waited_for;
      add_segment(row, TimelineStep::absent, Duration(0), timeline.span);
    } else {
      row.outcome = not_started.contains(host.name) ? TimelineOutcome::not_started
                                                    : TimelineOutcome::no_record;
      add_segment(row, TimelineStep::absent, absent_from, timeline.span);
      if (row.segments.empty()) add_segment(row, TimelineStep::absent, Duration(0), timeline.span);
    }
    timeline.rows.push_back(std::move(row));
  }
  return timeline;
}

std::string timeline_time_text(Duration d) {
  const auto ms = std::max<std::int64_t>(0, d.count());
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 10'000) {
    const auto tenths = (ms + 50) / 100;
    return tenths % 10 == 0 ? fmt::format("{}s", tenths / 10)
                            : fmt::format("{}.{}s", tenths / 10, tenths % 10);
  }
  const auto seconds = (ms + 500) / 1000;
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) {
    return seconds % 60 == 0 ? fmt::format("{}m", seconds / 60)
                             : fmt::format("{}m{}s", seconds / 60, seconds % 60);
  }
  return fmt::format("{}h{:02}m", seconds / 3600, (seconds % 3600) / 60);
}

}  // namespace drover::core
