#include "core/confirmation.h"

#include <fmt/format.h>

#include "core/printable_text.h"

namespace drover::core {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string expected_answer(const DeployPlan& plan) {
  if (plan.selection.target.kind == TargetKind::bot) {
    return "yes";
  }
  return std::to_string(plan.selection.hosts.size());
}

}  // namespace

std::string confirmation_prompt(const DeployPlan& plan) {
  if (plan.selection.target.kind == TargetKind::bot) {
    return fmt::format("Proceed? type yes to {} {}: ", plan.is_rollback() ? "roll back" : "deploy",
                       bot_name(plan.selection.target.bot.value_or(0)));
  }
  return fmt::format("Proceed? type the host count ({}): ", plan.selection.hosts.size());
}

bool confirmation_accepted(const DeployPlan& plan, std::string_view answer) {
  return trim(answer) == expected_answer(plan);
}

std::string refusal_message(const DeployPlan& plan, std::string_view answer) {
  return fmt::format("aborted: expected '{}', got '{}'; nothing was touched", expected_answer(plan),
                     printable(trim(answer)));
}

}  // namespace drover::core
