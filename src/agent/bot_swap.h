#pragma once
// The rollback-safe swap of one bot (ARCHITECTURE.md steps 3-6). Everything that can happen
// while the old container still runs happens first: clone its configuration onto the new
// image and create the new container as bot<ID>-next. Only then is the old one stopped,
// renamed to bot<ID>-prev, bot<ID>-next renamed to bot<ID> and started, so a bot is down
// for the stop, two renames and a start. The old container is dropped only once the new one
// is proven up; anything else puts the old container back.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "agent/agent_context.h"
#include "core/agent_report.h"

namespace drover::agent {

// The outcomes are the agent protocol's (core/agent_report.h): what the report says.
using core::BotSwapOutcome;

/// How long each of the bot's own steps took (the host-wide ones are in HostSwapResult).
struct SwapTimings {
  Duration create{0};    // inspect, clone and create bot<ID>-next, while the old one runs
  Duration stop{0};      // graceful stop of the old container
  Duration start{0};     // the two renames and the start of the new bot<ID>
  Duration settle{0};    // the settle proof
  Duration cleanup{0};   // removing bot<ID>-prev once the new one is proven
  Duration downtime{0};  // from the old container's stop until a container ran again
};

struct BotSwapRequest {
  int bot_id = 0;
  docker::ImageInfo image;  // the pulled target image
  std::string image_ref;    // the reference it was pulled by (used as the container's Image)
  std::chrono::seconds stop_timeout{35};
  Duration settle{10000};
  std::optional<nlohmann::json> container_template;  // for bots with no container yet
  /// Called exactly once: when the new container has started, or when the swap ends without
  /// one. The host waits for every bot's call before it prunes (host_swap.cc).
  std::function<void()> on_new_started = [] {};
};

struct BotSwapResult {
  int bot_id = 0;
  BotSwapOutcome outcome = BotSwapOutcome::failed;
  std::string reason;       // empty on a clean swap; a warning or the cause otherwise
  std::string image_id;     // the image bot<ID> runs now
  std::string repo_digest;  // its repo@sha256 digest, when known
  SwapTimings timings;
  bool created_from_template = false;
  /// The old container's image, when this swap left it to no container of this bot (swapped):
  /// the host removes it if nothing else uses it.
  std::optional<docker::ImageInfo> released_image;
  /// What bot<ID> ran before this swap (for `drover rollback`); unset when it had no container
  /// or the agent could not read it.
  std::optional<core::PreviousImage> from;
};

BotSwapResult swap_bot(AgentContext& ctx, const BotSwapRequest& request);

}  // namespace drover::agent
