#pragma once
// Where a rollout stands (progress) and how it ended (result): what the progress bar, the
// result line, the journal and the exit code are made from.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent_report.h"
#include "core/fleet.h"
#include "core/host_outcome.h"
#include "core/swap_timings.h"
#include "util/clock.h"

namespace drover::core {

/// One bot of a finished host, as its agent's swap report told it: what happened to it, what
/// it ran before the swap (what `drover rollback` puts back), what it runs now and how long
/// each step of its swap took.
struct BotRecord {
  BotId bot = 0;
  BotSwapOutcome outcome = BotSwapOutcome::failed;
  std::optional<PreviousImage> from;
  std::string repo_digest;  // repo@sha256:… it runs now, when the agent knew it
  /// Where its swap spent its time, step by step (all 0 in journals written before the agent
  /// measured its steps).
  SwapTimings timings{};

  bool operator==(const BotRecord&) const = default;
};

/// One finished host.
struct HostRecord {
  HostName host;
  HostOutcome outcome;
  Duration took{0};  // from its start to its finish, on the scheduler's clock
  /// Every bot of its swap report; empty when the host gave none (unreachable, timed out, bad
  /// output) or the journal was written before drover kept them.
  std::vector<BotRecord> bots{};
  /// When it started, from the start of the rollout (the run of drover that started it), on
  /// the same clock: what puts it on a timeline. nullopt in journals written before drover
  /// recorded it.
  std::optional<Duration> started{};

  bool operator==(const HostRecord&) const = default;
};

/// The live numbers. `finished` counts hosts a resumed deploy skipped as already done,
/// so the bar of a resumed deploy starts where the interrupted one stopped.
struct RolloutProgress {
  std::size_t total = 0;
  std::size_t finished = 0;  // succeeded + failed + already done
  std::size_t failed = 0;
  std::size_t in_flight = 0;
  Duration elapsed{0};
  /// How long until the next host's start slot (storm control) when a host is waiting for
  /// one; unset when none is (none left, the window is what holds them, or stopped).
  std::optional<Duration> next_start_in{};
};

/// success: every host succeeded. failed: every host was attempted, some failed (under the
/// threshold, or over it only once nothing was left to hold back). halted: the error halt kept
/// hosts from starting. interrupted: the operator did.
enum class RolloutStatus { success, failed, halted, interrupted };

/// "success" | "failed" | "halted" | "interrupted".
std::string_view to_string(RolloutStatus status);
/// Inverse of to_string; nullopt for any other text.
std::optional<RolloutStatus> parse_rollout_status(std::string_view text);
/// "success, failed, halted or interrupted", for messages.
std::string rollout_status_names();

struct RolloutResult {
  RolloutStatus status = RolloutStatus::success;
  std::size_t total = 0;      // hosts in the plan
  std::size_t succeeded = 0;  // including already_done
  std::size_t failed = 0;
  std::size_t already_done = 0;        // skipped by a resume
  std::size_t tolerated_failures = 0;  // what the error halt allowed (SIZE_MAX: never halts)
  std::vector<HostRecord> failures;    // in the order they finished
  std::vector<HostName> not_started;   // in plan order
  /// Hosts in flight when a second interrupt ended drover at once: their agents finish their
  /// swaps on their own and nobody learned how (`drover verify` does; a resume redoes them).
  std::vector<HostName> not_waited_for{};
  Duration elapsed{0};
  /// When the error halt, the operator's interrupt or a journal that could not be written
  /// stopped new starts, from the rollout's start; nullopt when nothing did (or the journal
  /// was written before drover recorded it).
  std::optional<Duration> stopped_after{};

  bool operator==(const RolloutResult&) const = default;
};

}  // namespace drover::core
