#include "cli/commands/verify_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands/deploy_choice.h"
#include "cli/fleet/verify_driver.h"
#include "core/deploy_exit_code.h"
#include "core/input_error.h"
#include "core/straggler_retry.h"

namespace drover::cli {

void add_verify_options(CLI::App& subcommand, VerifyRequest& request) {
  subcommand.add_option("words", request.words, "[staging|bot|all] [BOT_ID] [IMAGE_REF]");
  subcommand.add_flag("--json", request.json, "one JSON event per line on stdout");
  add_color_option(subcommand, request.color);
  add_seconds_option(subcommand, "--straggler-wait", request.straggler_wait_seconds,
                     core::kMaxStragglerWaitSeconds,
                     "seconds to wait for login stragglers, 0 to 3600 (60)");
  add_fleet_options(subcommand, request.fleet);
}

int run_verify(const VerifyRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto words = parse_deploy_words(request.words);
  if (words.speed) {
    throw core::InputError("verify arguments", "verify takes no speed",
                           "drover verify [staging|bot|all] [BOT_ID] [IMAGE_REF]");
  }
  auto chosen = choose_deploy(words, config, true, world);
  auto selection = core::select_hosts(config.fleet, chosen.target);
  auto pinned = chosen.image.pinned(world.resolve_digest(chosen.image, config.aws));
  auto view = make_command_view(request.json, request.color, world);
  view->notice(fmt::format("verifying {} bot(s) on {} host(s) against {}", selection.bot_count(),
                           selection.hosts.size(), pinned));
  auto transport = world.make_transport(config);
  auto verified =
      verify_selection(selection, core::ExpectedImages{pinned, {}}, config, *transport, world.clock,
                       *view, straggler_wait(request.straggler_wait_seconds));
  return core::to_int(
      core::verification_exit_code(verified.report, verified.retry ? &*verified.retry : nullptr));
}

}  // namespace drover::cli
