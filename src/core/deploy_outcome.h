#pragma once
// How a finished deploy (or rollback) ended, in one word, for `drover history`, its JSON and
// the notifications. The rollout's status alone would call a deploy whose verification then
// found stale or down bots (exit 5) or bots still not logged in (exit 6) a "success"; this
// does not.
#include <string_view>

#include "core/exit_code.h"
#include "core/rollout_result.h"

namespace drover::core {

enum class DeployOutcome {
  success,              // exit 0
  verification_failed,  // every host succeeded, but verification did not (exit 5 or 6)
  failed,               // some host failed (exit 5)
  halted,               // the error halt kept hosts from starting (exit 4)
  interrupted,          // the operator did (exit 4)
};

DeployOutcome deploy_outcome(const RolloutResult& result, ExitCode exit_code);

/// "success", "verification_failed", "failed", "halted", "interrupted".
std::string_view to_string(DeployOutcome outcome);

}  // namespace drover::core
