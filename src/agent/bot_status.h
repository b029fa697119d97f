#pragma once
// What runs for each bot, as `drover-agent status` reports it: the raw facts the operator's
// verification classifies into on-version / stale / down and logged-in / not yet.
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_context.h"
#include "agent/login_probe.h"

namespace drover::agent {

struct BotStatus {
  int bot_id = 0;
  bool present = false;
  bool running = false;
  std::string state;  // Docker's state: running, exited, restarting...
  int exit_code = 0;  // the last exit's code (meaningful when exited or restarting)
  std::string image;  // Config.Image: the reference the container was created from
  std::string health;
  int restart_count = 0;
  std::string image_id;
  std::vector<std::string> repo_digests;
  std::optional<bool> matches_expected;  // unset without --expect-image
  bool prev_left_over = false;           // a bot<ID>-prev exists: a swap was interrupted
  LoginReading login;
  std::string error;  // the engine failed to answer for this bot
};

/// `expect_image` is a reference (repo:tag or repo@sha256:...) or empty. A digest reference
/// matches by repo digest; a tag matches when it names the same image id locally.
std::vector<BotStatus> read_bot_status(AgentContext& ctx, LoginProbe& probe,
                                       const std::vector<int>& bot_ids,
                                       const std::string& expect_image);

}  // namespace drover::agent
