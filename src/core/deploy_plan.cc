#include "core/deploy_plan.h"

#include <utility>

namespace drover::core {

DeployPlan make_plan(const Fleet& fleet, const Target& target, SpeedName speed,
                     const SpeedTable& speeds, const ImageReference& image, std::string deploy_id,
                     std::string created_at) {
  // The speed is checked before the selection so "staging immediate" is refused for the
  // speed (the operator's real mistake) even when the fleet also lacks staging hosts.
  check_speed_allowed(speed, target.kind);
  DeployPlan plan;
  plan.deploy_id = std::move(deploy_id);
  plan.fleet = fleet.name();
  plan.selection = select_hosts(fleet, target);
  plan.speed = speed;
  plan.settings = speeds[speed];
  plan.image = image.str();
  if (!image.digest.empty()) {
    plan.pinned_image = image.pinned(image.digest);
  }
  plan.created_at = std::move(created_at);
  return plan;
}

std::string DeployPlan::image_for(BotId bot) const {
  if (rollback) return rollback->image_for(bot);
  return pinned_image.empty() ? image : pinned_image;
}

const std::string& ExpectedImages::for_bot(BotId bot) const {
  const auto found = per_bot.find(bot);
  return found == per_bot.end() ? image : found->second;
}

ExpectedImages expected_images(const DeployPlan& plan) {
  if (!plan.rollback) return {plan.pinned_image.empty() ? plan.image : plan.pinned_image, {}};
  ExpectedImages expected;
  for (const auto& target : plan.rollback->targets) expected.per_bot[target.bot] = target.image;
  return expected;
}

}  // namespace drover::core
