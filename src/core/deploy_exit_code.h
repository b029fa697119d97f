#pragma once
// Which exit code a finished deploy ends with, from the most to the least severe cause:
//   halted (4)              the error halt or the operator kept hosts from starting
//   stale_or_down (5)       the rollout failed on some host (its bots are stale or down), or
//                           verification found a stale, down or unanswered bot
//   still_not_logged_in (6) everything is on-version but some bot is still not logged in
//                           after the straggler retry (or, with no retry, at verification)
//   success (0)
// The login poll is informational: it never changes a rollout's own result, only this code.
#include "core/exit_code.h"
#include "core/rollout_result.h"
#include "core/straggler_retry.h"
#include "core/verification.h"

namespace drover::core {

/// `verification` and `retry` are null when that step did not run.
ExitCode deploy_exit_code(const RolloutResult& rollout, const VerificationReport* verification,
                          const StragglerRetryResult* retry);

/// For `drover verify` on its own: 5 for stale/down/unanswered, 6 for login stragglers.
ExitCode verification_exit_code(const VerificationReport& verification,
                                const StragglerRetryResult* retry);

}  // namespace drover::core
