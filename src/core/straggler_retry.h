#pragma once
// The one timed retry for bots that were running but not yet logged into Steam (guide,
// example e): wait, re-check only those bots, report who made it.
//
//   letting 6 straggler(s) finish Steam login — retry in 41s
//   re-checking the 6 straggler(s)…
//   ── retry result ──
//     logged in during wait : 6/6
//     STILL not logged in   : 0 ✅
//   ──────────────────────────────────────
//
// The countdown is a value the CLI redraws each second from its Clock; nothing here waits.
#include <cstddef>
#include <string>
#include <vector>

#include "core/agent_report.h"
#include "core/target.h"
#include "core/verification.h"
#include "util/clock.h"

namespace drover::core {

inline constexpr Duration kDefaultStragglerWait{std::chrono::seconds(60)};
/// The longest wait --straggler-wait takes: a bot that has not logged in within an hour is
/// down, not straggling.
inline constexpr int kMaxStragglerWaitSeconds = 3600;
/// How often the stragglers are asked during the wait, which ends as soon as all of them
/// have logged in: often enough that nobody waits long for nothing, rarely enough that a
/// minute's wait asks each straggler host a dozen times at most (each ask is one agent call,
/// an SSM command on that transport).
inline constexpr Duration kStragglerLookInterval{std::chrono::seconds(5)};

/// Which hosts to re-check for which bots: only hosts with stragglers, only the stragglers.
struct StragglerRetryPlan {
  std::vector<HostSelection> hosts;
  Duration wait{0};

  std::size_t bot_count() const;
  bool empty() const { return hosts.empty(); }
};

StragglerRetryPlan plan_straggler_retry(const VerificationReport& report,
                                        const Selection& selection,
                                        Duration wait = kDefaultStragglerWait);

struct StragglerRetryResult {
  std::size_t stragglers = 0;
  std::vector<BotId> logged_in_during_wait;  // sorted
  std::vector<BotId> still_not_logged_in;    // sorted; includes bots that went down meanwhile

  bool all_logged_in() const { return still_not_logged_in.empty(); }
  bool operator==(const StragglerRetryResult&) const = default;
};

/// Compares the stragglers with their re-checked statuses: a straggler counts as logged in
/// only when it is now running and logged in.
StragglerRetryResult evaluate_straggler_retry(const StragglerRetryPlan& plan,
                                              const std::vector<BotStatus>& rechecked);

/// Remaining wait of a retry that began at `started`, as of `now` (never negative).
Duration straggler_wait_remaining(const StragglerRetryPlan& plan, TimePoint started, TimePoint now);

/// "letting 6 straggler(s) finish Steam login — retry in 41s" (seconds rounded up; no newline).
std::string render_straggler_countdown(std::size_t stragglers, Duration remaining);
/// "re-checking the 6 straggler(s)…" (no newline).
std::string render_straggler_recheck(std::size_t stragglers);
/// The retry result block, each line ending in '\n'; ✅ when all logged in, else ❌ and ids.
std::string render_straggler_result(const StragglerRetryResult& result);

}  // namespace drover::core
