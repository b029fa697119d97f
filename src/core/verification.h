#pragma once
// After every deploy: is each bot on the deployed image, and is it logged into Steam?
// Built from the agents' status reports (agent_report.h) for every selected bot.
//
// Each expected bot lands in exactly one of four image classes:
//   down        no container, or a container that is not running
//   stale       running, but not the expected image (never swapped, or rolled back)
//   on_version  running the expected image
//   unanswered  its host gave no status (unreachable, bad output) or the report left it out
// and, when it is running (on_version or stale), in exactly one login class:
//   logged_in / not_logged_in   (unknown login counts as not logged in: nothing is silent)
// Down and unanswered bots are in no login class: waiting will not log them in, and they are
// already listed by id.
// Invariant: on_version + stale + down + unanswered = total = logged_in + not_logged_in +
// down + unanswered; every list is sorted ascending by id.
#include <cstddef>
#include <vector>

#include "core/agent_report.h"
#include "core/bot_id.h"

namespace drover::core {

struct VerificationReport {
  std::size_t total = 0;
  std::vector<BotId> on_version;
  std::vector<BotId> stale;
  std::vector<BotId> down;
  std::vector<BotId> unanswered;
  std::vector<BotId> logged_in;
  std::vector<BotId> not_logged_in;

  /// No stale, down or unanswered bot (login stragglers aside).
  bool all_on_version() const { return stale.empty() && down.empty() && unanswered.empty(); }
  bool operator==(const VerificationReport&) const = default;
};

/// Classifies `expected` bots from the statuses observed on their hosts. Statuses of bots
/// that were not expected are ignored; when a bot is reported twice, the first report counts.
VerificationReport classify_bots(const std::vector<BotId>& expected,
                                 const std::vector<BotStatus>& observed);

}  // namespace drover::core
