#pragma once
// The deploy command's positional words, as the guide writes them:
//   drover deploy [staging|bot|all] [routine|fast|immediate] [BOT_ID] [IMAGE_REF]
// Each word is recognised by its form (a target word, a speed word, digits, anything else is
// an image), so `deploy bot 539`, `deploy all fast v2` and `deploy all v2` all work; missing
// ones are prompted for. A first word that is not a target is refused, not taken as an image.
#include <optional>
#include <string>
#include <vector>

#include "core/speed.h"
#include "core/target.h"

namespace drover::cli {

struct DeployWords {
  std::optional<core::TargetKind> target;
  std::optional<core::SpeedName> speed;
  std::optional<std::string> bot_id;  // validated against the fleet later
  std::optional<std::string> image;   // validated and completed later
};

/// Throws core::InputError for an unknown target, a repeated word kind, or too many words.
DeployWords parse_deploy_words(const std::vector<std::string>& words);

}  // namespace drover::cli
