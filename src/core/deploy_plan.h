#pragma once
// Everything a deploy will do, decided before anything is touched: which hosts and bots,
// at which speed, which image. It is what the operator confirms, what the journal records
// first, and what a resumed deploy reuses unchanged.
// Invariants: `selection` is non-empty; `speed` is allowed for the target (immediate only
// for all); `image` is a complete, validated reference; `pinned_image` is empty until the
// digest is resolved, then "repository@sha256:…" and never changes again.
#include <optional>
#include <string>

#include "core/agent_preflight.h"
#include "core/fleet.h"
#include "core/image_reference.h"
#include "core/speed.h"
#include "core/speed_settings.h"
#include "core/target.h"

namespace drover::core {

struct DeployPlan {
  std::string deploy_id;
  std::string fleet;
  Selection selection;
  SpeedName speed = kDefaultSpeed;
  SpeedSettings settings;
  std::string image;         // as given and completed: "127.0.0.1:5000/tradebot:v2"
  std::string pinned_image;  // "127.0.0.1:5000/tradebot@sha256:…", or "" before resolving
  std::string created_at;    // RFC 3339, from the CLI's wall clock (core reads no clock)
  // The drift preflight's findings; nullopt when none ran (plans journaled before it existed).
  std::optional<AgentPreflight> agent_preflight;

  bool operator==(const DeployPlan&) const = default;
};

/// Checks the speed against the target, selects the hosts and takes the speed's settings.
/// Throws InputError for a refused speed or an empty selection.
DeployPlan make_plan(const Fleet& fleet, const Target& target, SpeedName speed,
                     const SpeedTable& speeds, const ImageReference& image, std::string deploy_id,
                     std::string created_at);

}  // namespace drover::core
