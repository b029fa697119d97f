#pragma once
// The guide's prune safeguard ("removes every image not in use, each deploy"), arranged so it
// costs the swap as little time as it can without weakening it:
//
//   1. prune_unused_images runs `image prune -af` once every bot's new container has started,
//      while the bots' settle windows pass and the engine is otherwise idle. It removes every
//      image that no container uses at that moment. The images this swap still holds then (the
//      old image, kept by bot<ID>-prev for a rollback; the new one) are in use, so it cannot
//      take an image the swap needs.
//   2. remove_released_images runs after the bots: it removes exactly the images this swap let
//      go of since (the old image of each swapped bot; the new image when a bot rolled back),
//      each only if no container on the engine uses it. The engine checks that itself when it
//      refuses a non-forced delete, so it is safe when several logical hosts share one engine:
//      an image another host's bots still run is left to that host's own swap.
//
// Together: after the swap no image is left unused that was unused when the prune ran or that
// the swap released. An image that spans several repositories cannot be removed by id without
// force; for those the cleanup falls back to a second full prune.
#include <vector>

#include "agent/agent_context.h"

namespace drover::agent {

struct PruneOutcome {
  docker::PruneResult result;
  std::string error;        // empty when the prune ran (or a concurrent one covered it)
  Duration took{0};         // the prune call(s), retries included
  bool concurrent = false;  // the engine was running another prune all along
};

/// `image prune -af`. The engine refuses a prune while another runs (409; several logical
/// hosts on one engine prune at about the same time): the call is retried every 200 ms for up
/// to `wait_for_other`. Past that the other prune, running now, covers every image that was
/// unused before ours was asked for, and the outcome says `concurrent`.
PruneOutcome prune_unused_images(AgentContext& ctx, Duration wait_for_other = Duration(10000));

struct ReleaseOutcome {
  std::vector<std::string> removed;  // image ids
  docker::PruneResult fallback;      // the second full prune, when one was needed
  std::string error;
};

/// Removes each of `images` that no container uses (never forced). Images named by more than
/// one repository are covered by a full prune instead.
ReleaseOutcome remove_released_images(AgentContext& ctx,
                                      const std::vector<docker::ImageInfo>& images);

}  // namespace drover::agent
