#pragma once
// After every deploy (and `drover verify`): ask every selected host what runs, classify each
// bot (on version / stale / down, logged in or not), then give login stragglers one timed
// retry with a live countdown, re-checking only them. Nothing is silent: every bad bot is
// listed by id, and hosts that did not answer are named.
#include <atomic>
#include <optional>

#include "cli/config/drover_toml.h"
#include "cli/view/rollout_view.h"
#include "core/deploy_plan.h"
#include "core/straggler_retry.h"
#include "core/transport.h"
#include "core/verification.h"
#include "util/clock.h"

namespace drover::cli {

struct VerifyResult {
  core::VerificationReport report;
  std::optional<core::StragglerRetryResult> retry;
};

/// Asks every selected host what runs and classifies each bot. Shows only notices (hosts
/// that did not answer), not the report: a deploy first corrects its result line with it.
core::VerificationReport read_verification(const core::Selection& selection,
                                           const core::ExpectedImages& expected,
                                           const DroverConfig& config, core::Transport& transport,
                                           RolloutView& view);

/// Shows `report`, then gives its login stragglers one timed retry: they are asked again
/// every core::kStragglerLookInterval and the wait ends once all of them have logged in, else
/// when it runs out. When `stop_waiting` is set during the wait, it returns at once without
/// the retry.
VerifyResult report_and_retry(const core::VerificationReport& report,
                              const core::Selection& selection,
                              const core::ExpectedImages& expected, const DroverConfig& config,
                              core::Transport& transport, Clock& clock, RolloutView& view,
                              drover::Duration straggler_wait,
                              const std::atomic<bool>* stop_waiting = nullptr);

/// read_verification, then report_and_retry.
VerifyResult verify_selection(const core::Selection& selection,
                              const core::ExpectedImages& expected, const DroverConfig& config,
                              core::Transport& transport, Clock& clock, RolloutView& view,
                              drover::Duration straggler_wait);

}  // namespace drover::cli
