#include "core/deploy_outcome.h"

#include "core/name_table.h"

namespace drover::core {
namespace {

constexpr NameTable<DeployOutcome, 5> kDeployOutcomeNames{{
    {DeployOutcome::success, "success"},
    {DeployOutcome::verification_failed, "verification_failed"},
    {DeployOutcome::failed, "failed"},
    {DeployOutcome::halted, "halted"},
    {DeployOutcome::interrupted, "interrupted"},
}};
static_assert(covers_every_value(kDeployOutcomeNames));

}  // namespace

DeployOutcome deploy_outcome(const RolloutResult& result, ExitCode exit_code) {
  switch (result.status) {
    case RolloutStatus::halted:
      return DeployOutcome::halted;
    case RolloutStatus::interrupted:
      return DeployOutcome::interrupted;
    case RolloutStatus::failed:
      return DeployOutcome::failed;
    case RolloutStatus::success:
      break;
  }
  return exit_code == ExitCode::success ? DeployOutcome::success
                                        : DeployOutcome::verification_failed;
}

std::string_view to_string(DeployOutcome outcome) {
  return name_of(kDeployOutcomeNames, outcome);
}

}  // namespace drover::core
