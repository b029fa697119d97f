#pragma once
// The single confirmation before anything is touched (guide, example b): a fleet or staging
// deploy asks for the host count, which the operator can only type after reading the plan;
// a one-bot deploy asks for "yes". Any other answer refuses the deploy.
#include <string>
#include <string_view>

#include "core/deploy_plan.h"

namespace drover::core {

/// "Proceed? type the host count (178): " or "Proceed? type yes to deploy bot539: ".
std::string confirmation_prompt(const DeployPlan& plan);

/// True only for the exact expected answer (the host count in decimal, or "yes"),
/// ignoring surrounding whitespace and the line break.
bool confirmation_accepted(const DeployPlan& plan, std::string_view answer);

/// What to print when the answer was wrong: says nothing was touched.
std::string refusal_message(const DeployPlan& plan, std::string_view answer);

}  // namespace drover::core
