#pragma once
// `drover verify [staging|bot|all] [BOT_ID] [IMAGE_REF]`: the verification a deploy ends with,
// on its own. The image is pinned to the registry's digest for its tag now; every selected
// bot is classified on version / stale / down and logged in or not, and login stragglers get
// one timed retry. Exit 0, or 5 (stale, down or unanswered bots), or 6 (still not logged in).
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/command.h"

namespace drover::cli {

struct VerifyRequest {
  std::vector<std::string> words;  // [staging|bot|all] [BOT_ID] [IMAGE_REF]
  bool json = false;
  ColorChoice color = ColorChoice::automatic;  // --color
  std::optional<int> straggler_wait_seconds;
  FleetOptions fleet;
};

void add_verify_options(CLI::App& subcommand, VerifyRequest& request);

int run_verify(const VerifyRequest& request, CliWorld& world);

}  // namespace drover::cli
