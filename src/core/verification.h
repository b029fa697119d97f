#pragma once
// After every deploy: is each bot on the deployed image, and is it logged into Steam?
// Built from the agents' status reports (agent_report.h) for every selected bot.
//
// Each expected bot lands in exactly one of four image classes:
//   down        no container, or a container that is not running (exited, crash-looping:
//               restarting, never started); `down_reasons` says which, for every down bot
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
#include <map>
#include <string>
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
  /// For each down bot: "no container", "crash-looping on repo@sha256:0123456789ab", …
  std::map<BotId, std::string> down_reasons;

  /// No stale, down or unanswered bot (login stragglers aside).
  bool all_on_version() const { return stale.empty() && down.empty() && unanswered.empty(); }
  bool operator==(const VerificationReport&) const = default;
};

/// Classifies `expected` bots from the statuses observed on their hosts. Statuses of bots
/// that were not expected are ignored; when a bot is reported twice, the first report counts.
VerificationReport classify_bots(const std::vector<BotId>& expected,
                                 const std::vector<BotStatus>& observed);

/// Why a bot that is not running is down, in the report's words: "no container",
/// "crash-looping on <image>", "exited with code 3 on <image>", "never started on <image>".
std::string down_reason(const BotStatus& status);

/// A reference short enough for a report line: a digest is cut to its first 12 hex digits.
std::string short_image(const std::string& reference);

}  // namespace drover::core
