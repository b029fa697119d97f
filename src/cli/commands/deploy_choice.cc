#include "cli/commands/deploy_choice.h"

#include "core/input_error.h"
#include "core/printable_text.h"
#include "core/speed_table.h"
#include "core/straggler_retry.h"

namespace drover::cli {
namespace {

std::string ask_or_fail(CliWorld& world, const std::string& command, const std::string& prompt,
                        const std::string& missing, const std::string& fix) {
  if (!world.terminal.interactive()) {
    throw core::InputError(command + " arguments",
                           missing + " is missing and there is no terminal to ask", fix);
  }
  auto answer = world.terminal.ask(prompt);
  if (!answer) throw core::InputError(command + " arguments", missing + " was not given", fix);
  return *answer;
}

std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 32);
  return word;
}

}  // namespace

ChosenDeploy choose_deploy(const DeployWords& words, const DroverConfig& config, bool yes,
                           CliWorld& world) {
  auto target = choose_target_and_speed(words, config, yes, world);
  ChosenDeploy chosen{target.target, target.speed, {}};
  std::string typed;
  if (words.image) {
    typed = *words.image;
  } else if (world.terminal.interactive() && !yes) {
    auto fallback = config.image_repository + ":" + config.default_tag;
    auto answer = world.terminal.ask("Image (a tag or a reference) [" + fallback + "]: ");
    typed = answer && !answer->empty() ? *answer : fallback;
  } else {
    typed = config.image_repository + ":" + config.default_tag;
  }
  chosen.image = core::complete_image_reference(typed, config.image_repository, config.default_tag);
  return chosen;
}

ChosenTarget choose_target_and_speed(const DeployWords& words, const DroverConfig& config, bool yes,
                                     CliWorld& world, const std::string& command) {
  ChosenTarget chosen;
  auto kind = words.target;
  if (!kind) {
    kind = core::parse_target_kind(ask_or_fail(
        world, command, capitalized(command) + " target (staging | bot | all): ", "the target",
        "pass staging, bot or all"));
  }
  if (*kind == core::TargetKind::bot) {
    auto id_text = words.bot_id ? *words.bot_id
                                : ask_or_fail(world, command, "Bot id: ", "the bot id",
                                              "pass it: drover " + command + " bot 539");
    chosen.target = core::Target::single_bot(config.fleet.parse_fleet_bot_id(id_text));
  } else {
    if (words.bot_id) {
      const auto bot_id = core::printable(*words.bot_id, core::kQuotedBytes);
      throw core::InputError(command + " arguments",
                             "a bot id (" + bot_id + ") only goes with target bot",
                             "use: drover " + command + " bot " + bot_id);
    }
    chosen.target = *kind == core::TargetKind::all ? core::Target::all() : core::Target::staging();
  }
  if (words.speed) {
    chosen.speed = *words.speed;
  } else if (world.terminal.interactive() && !yes) {
    auto selection = core::select_hosts(config.fleet, chosen.target);
    world.terminal.print(core::render_speed_table(config.speeds, selection));
    auto answer = world.terminal.ask(core::speed_prompt(*kind));
    if (!answer)
      throw core::InputError(command + " arguments", "no speed was chosen",
                             "pass routine, fast or immediate");
    chosen.speed = core::parse_speed_choice(*answer, *kind);
  }
  core::check_speed_allowed(chosen.speed, *kind);
  return chosen;
}

drover::Duration straggler_wait(const std::optional<int>& seconds) {
  return seconds ? drover::Duration(std::chrono::seconds(*seconds)) : core::kDefaultStragglerWait;
}

}  // namespace drover::cli
