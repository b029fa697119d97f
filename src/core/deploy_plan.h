#pragma once
// Everything a deploy will do, decided before anything is touched: which hosts and bots,
// at which speed, which image. It is what the operator confirms, what the journal records
// first, and what a resumed deploy reuses unchanged.
// A rollback is a plan too (`rollback` set): the same rollout, lock, journal and
// verification, but each selected bot goes to its own recorded digest.
// Invariants: `selection` is non-empty; `speed` is allowed for the target (immediate only
// for all); for a deploy, `image` is a complete, validated reference and `pinned_image` is
// empty until the digest is resolved, then "repository@sha256:…" and never changes again; for
// a rollback, `image` and `pinned_image` are empty and every selected bot is a target.
#include <map>
#include <optional>
#include <string>

#include "core/agent_preflight.h"
#include "core/fleet.h"
#include "core/image_reference.h"
#include "core/measured_estimate.h"
#include "core/rollback_spec.h"
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
  // "Est. duration" simulated from the fleet's history at this speed; nullopt: no history (the
  // box shows the guide's estimate), or a plan journaled before drover measured it.
  std::optional<MeasuredEstimate> measured_estimate;
  // Set for a rollback: where each bot goes back to, and the selected bots left where they are.
  std::optional<RollbackSpec> rollback;

  bool is_rollback() const { return rollback.has_value(); }
  /// The image `bot` is to run: its rollback target, else the pinned image (or, before it is
  /// pinned, the image).
  std::string image_for(BotId bot) const;
  bool operator==(const DeployPlan&) const = default;
};

/// The image each verified bot should run: one for every bot (a deploy, `drover verify`), or
/// one per bot (a rollback).
struct ExpectedImages {
  std::string image;                     // for every bot not in per_bot
  std::map<BotId, std::string> per_bot;  // bots expected on another image

  const std::string& for_bot(BotId bot) const;
  bool operator==(const ExpectedImages&) const = default;
};

/// What verification expects after `plan`.
ExpectedImages expected_images(const DeployPlan& plan);

/// Checks the speed against the target, selects the hosts and takes the speed's settings.
/// Throws InputError for a refused speed or an empty selection.
DeployPlan make_plan(const Fleet& fleet, const Target& target, SpeedName speed,
                     const SpeedTable& speeds, const ImageReference& image, std::string deploy_id,
                     std::string created_at);

}  // namespace drover::core
