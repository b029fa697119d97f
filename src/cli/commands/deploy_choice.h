#pragma once
// What a deploy (or `drover verify`) is about, from the operator's words and, on a terminal,
// prompts for what is missing, in the guide's order: target, speed (with the speed table),
// bot id, image. Without a terminal a missing target or bot id is an error; a missing speed or
// image takes the default (routine; the configured repository at its default tag).
#include <optional>

#include "cli/cli_world.h"
#include "cli/commands/deploy_words.h"
#include "cli/config/drover_toml.h"
#include "core/image_reference.h"
#include "core/speed.h"
#include "core/target.h"

namespace drover::cli {

struct ChosenDeploy {
  core::Target target;
  core::SpeedName speed = core::kDefaultSpeed;
  core::ImageReference image;
};

/// `yes` (-y) skips the speed and image prompts. Throws core::InputError for a bad or missing
/// answer.
ChosenDeploy choose_deploy(const DeployWords& words, const DroverConfig& config, bool yes,
                           CliWorld& world);

/// The target and speed alone (a rollback has no image to choose), prompting as for a deploy;
/// `command` ("deploy", "rollback") names the command in prompts and errors.
struct ChosenTarget {
  core::Target target;
  core::SpeedName speed = core::kDefaultSpeed;
};
ChosenTarget choose_target_and_speed(const DeployWords& words, const DroverConfig& config, bool yes,
                                     CliWorld& world, const std::string& command = "deploy");

/// --straggler-wait S, else the guide's default.
drover::Duration straggler_wait(const std::optional<int>& seconds);

}  // namespace drover::cli
