#include "core/deploy_exit_code.h"

namespace drover::core {

ExitCode verification_exit_code(const VerificationReport& verification,
                                const StragglerRetryResult* retry) {
  if (!verification.all_on_version()) {
    return ExitCode::stale_or_down;
  }
  // After a retry only its result counts; without one, whoever was not logged in still isn't.
  const bool stragglers_left =
      retry ? !retry->all_logged_in() : !verification.not_logged_in.empty();
  return stragglers_left ? ExitCode::still_not_logged_in : ExitCode::success;
}

ExitCode deploy_exit_code(const RolloutResult& rollout, const VerificationReport* verification,
                          const StragglerRetryResult* retry) {
  if (rollout.status == RolloutStatus::halted || rollout.status == RolloutStatus::interrupted) {
    return ExitCode::halted;
  }
  if (rollout.status == RolloutStatus::failed) {
    return ExitCode::stale_or_down;
  }
  if (!verification) {
    return ExitCode::success;
  }
  return verification_exit_code(*verification, retry);
}

}  // namespace drover::core
