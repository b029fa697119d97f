#include "agent/image_cleanup.h"

#include <set>

#include "core/image_reference.h"
#include "core/input_error.h"

namespace drover::agent {
namespace {

constexpr Duration kPruneRetryInterval{200};
constexpr int kConflict = 409;

// The repository a RepoTags or RepoDigests entry names; "" when it is no reference.
std::string repository_of(const std::string& reference) {
  try {
    return core::parse_image_reference(reference).repository();
  } catch (const core::InputError&) {
    return "";
  }
}

// Whether the engine deletes this image by id without force once no container uses it: all
// its references in one repository and at most one tag (Docker's isSingleReference).
bool removable_by_id(const docker::ImageInfo& image) {
  if (image.repo_tags.size() > 1) {
    return false;
  }
  std::set<std::string> repositories;
  for (const auto& ref : image.repo_tags) {
    repositories.insert(repository_of(ref));
  }
  for (const auto& ref : image.repo_digests) {
    repositories.insert(repository_of(ref));
  }
  return repositories.size() <= 1 && !repositories.contains("");
}

void add(docker::PruneResult& into, const docker::PruneResult& more) {
  into.space_reclaimed += more.space_reclaimed;
  into.deleted.insert(into.deleted.end(), more.deleted.begin(), more.deleted.end());
}

}  // namespace

PruneOutcome prune_unused_images(AgentContext& ctx, Duration wait_for_other) {
  PruneOutcome outcome;
  const auto began = ctx.clock.now();
  while (true) {
    try {
      outcome.result = ctx.runtime.prune_images();
      break;
    } catch (const docker::RuntimeError& e) {
      if (e.status() != kConflict) {
        outcome.error = e.what();
        break;
      }
      if (ctx.clock.now() - began >= wait_for_other) {
        outcome.concurrent = true;
        ctx.log.line(std::string("another image prune kept running (") + e.what() +
                     "); it removes what no container uses, and the images this swap releases "
                     "are removed by id after it");
        break;
      }
      ctx.clock.sleep_for(kPruneRetryInterval);
    }
  }
  outcome.took = ctx.clock.now() - began;
  return outcome;
}

ReleaseOutcome remove_released_images(AgentContext& ctx,
                                      const std::vector<docker::ImageInfo>& images) {
  ReleaseOutcome outcome;
  std::set<std::string> seen;
  bool full_prune = false;
  for (const auto& image : images) {
    if (image.id.empty() || !seen.insert(image.id).second) {
      continue;
    }
    if (!removable_by_id(image)) {
      full_prune = true;
      continue;
    }
    try {
      if (ctx.runtime.remove_image_if_unused(image.id)) {
        outcome.removed.push_back(image.id);
      }
    } catch (const docker::RuntimeError& e) {
      outcome.error = std::string("removing the released image ") + image.id + ": " + e.what();
    }
  }
  if (full_prune) {
    auto pruned = prune_unused_images(ctx);
    add(outcome.fallback, pruned.result);
    if (!pruned.error.empty()) {
      outcome.error = pruned.error;
    }
  }
  return outcome;
}

}  // namespace drover::agent
