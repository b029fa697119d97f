#pragma once
// The rollback-safe swap of one bot (ARCHITECTURE.md steps 3-6): clone the old container's
// configuration onto the new image, stop the old one gracefully, keep it as bot<ID>-prev,
// start the new bot<ID>, and drop the old one only once the new one is confirmed up.
// Anything else puts the old container back.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "agent/agent_context.h"
#include "core/agent_report.h"

namespace drover::agent {

// The outcomes are the agent protocol's (core/agent_report.h): what the report says.
using core::BotSwapOutcome;

struct SwapTimings {
  Duration stop{0};      // graceful stop of the old container
  Duration start{0};     // create + start of the new one
  Duration settle{0};    // the confirmation window actually watched
  Duration downtime{0};  // from the old container's stop until a container ran again
};

struct BotSwapRequest {
  int bot_id = 0;
  docker::ImageInfo image;  // the pulled target image
  std::string image_ref;    // the reference it was pulled by (used as the container's Image)
  std::chrono::seconds stop_timeout{35};
  Duration settle{10000};
  std::optional<nlohmann::json> container_template;  // for bots with no container yet
};

struct BotSwapResult {
  int bot_id = 0;
  BotSwapOutcome outcome = BotSwapOutcome::failed;
  std::string reason;       // empty on a clean swap; a warning or the cause otherwise
  std::string image_id;     // the image bot<ID> runs now
  std::string repo_digest;  // its repo@sha256 digest, when known
  SwapTimings timings;
  bool created_from_template = false;
  /// What bot<ID> ran before this swap (for `drover rollback`); unset when it had no container
  /// or the agent could not read it.
  std::optional<core::PreviousImage> from;
};

BotSwapResult swap_bot(AgentContext& ctx, const BotSwapRequest& request);

}  // namespace drover::agent
