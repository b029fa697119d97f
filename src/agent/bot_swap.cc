#include "agent/bot_swap.h"

#include "agent/bot_names.h"
#include "agent/clone_spec.h"
#include "agent/image_digest.h"
#include "agent/rollback.h"
#include "agent/settle_proof.h"

namespace drover::agent {

namespace {

// Last log lines of a container that failed, so the reason says what the bot said.
std::string log_tail(AgentContext& ctx, const std::string& container) {
  try {
    auto lines = ctx.runtime.container_logs(container, 3);
    std::string out;
    for (auto line : lines) {
      if (line.size() > 160) line = line.substr(0, 157) + "...";
      out += (out.empty() ? "" : " | ") + line;
    }
    return out.empty() ? "" : "; last log lines: " + out;
  } catch (const docker::RuntimeError&) {
    return "";
  }
}

class BotSwap {
 public:
  BotSwap(AgentContext& ctx, const BotSwapRequest& request)
      : ctx_(ctx),
        req_(request),
        name_(container_name(request.bot_id)),
        prev_(prev_container_name(request.bot_id)),
        next_(next_container_name(request.bot_id)) {
    result_.bot_id = request.bot_id;
  }
  BotSwap(const BotSwap&) = delete;
  BotSwap& operator=(const BotSwap&) = delete;
  // The host waits for every bot's "started" before it prunes: a swap that ends any other
  // way (an early failure, an exception) must still say so, exactly once.
  ~BotSwap() { announce_started(); }

  BotSwapResult run() {
    std::optional<docker::ContainerInfo> old;
    try {
      old = ctx_.runtime.inspect_container(name_);
    } catch (const docker::RuntimeError& e) {
      return fail(std::string("cannot inspect ") + name_ + ": " + e.what());
    }
    if (old && old->state.running && old->image_id == req_.image.id) {
      result_.from = core::PreviousImage{old->image_ref, old->image_id,
                                         repo_digest_for(req_.image, old->image_ref)};
      ctx_.log.bot(req_.bot_id, "already runs " + req_.image_ref + "; left untouched");
      return finish(BotSwapOutcome::unchanged, req_.image.id,
                    repo_digest_for(req_.image, req_.image_ref));
    }
    return old ? replace(*old) : create_from_template();
  }

 private:
  BotSwapResult replace(const docker::ContainerInfo& old) {
    const auto began = ctx_.clock.now();
    nlohmann::json body;
    std::optional<docker::ImageInfo> old_image;
    try {
      old_image = ctx_.runtime.inspect_image(old.image_id);
      body = clone_create_body(old, old_image, req_.image_ref);
    } catch (const docker::RuntimeError& e) {
      return fail(std::string("cannot read the old container's image: ") + e.what() +
                  "; nothing was stopped");
    }
    old_image_id_ = old.image_id;
    old_digest_ = old_image ? repo_digest_for(*old_image, old.image_ref) : "";
    // Recorded before anything is stopped: the digest is what brings the bot back once the
    // prune after this swap has removed the old image from the host.
    result_.from = core::PreviousImage{old.image_ref, old.image_id, old_digest_};
    if (auto why = create_next(body); !why.empty()) {
      return fail("the new container could not be created: " + why + "; nothing was stopped" +
                  discard_next());
    }
    result_.timings.create = ctx_.clock.now() - began;

    ctx_.log.bot(req_.bot_id,
                 fmt::format("stopping (graceful, up to {}s)", req_.stop_timeout.count()));
    stop_began_ = ctx_.clock.now();
    try {
      ctx_.runtime.stop_container(old.id, req_.stop_timeout);
    } catch (const docker::RuntimeError& e) {
      return fail_keeping_old(old.id, std::string("graceful stop failed: ") + e.what());
    }
    result_.timings.stop = ctx_.clock.now() - stop_began_;
    ctx_.on_step(req_.bot_id, SwapStep::Stopped);
    try {
      ctx_.runtime.rename_container(old.id, prev_);
    } catch (const docker::RuntimeError& e) {
      return fail_keeping_old(old.id,
                              std::string("renaming it to ") + prev_ + " failed: " + e.what());
    }
    ctx_.on_step(req_.bot_id, SwapStep::RenamedToPrev);

    if (auto why = start_new(); !why.empty()) return roll_back(why);
    const auto cleanup_began = ctx_.clock.now();
    try {
      ctx_.runtime.remove_container(prev_);
    } catch (const docker::RuntimeError& e) {
      // The bot runs the new image; the leftover is harmless and the next recover drops it.
      result_.reason = std::string("swapped, but removing ") + prev_ + " failed: " + e.what() +
                       " (the next `drover-agent recover` removes it)";
    }
    result_.timings.cleanup = ctx_.clock.now() - cleanup_began;
    ctx_.on_step(req_.bot_id, SwapStep::RemovedPrev);
    if (old_image && old_image->id != req_.image.id) result_.released_image = old_image;
    ctx_.log.bot(req_.bot_id, fmt::format("swapped to {} (downtime {} ms)", req_.image_ref,
                                          result_.timings.downtime.count()));
    return finish(BotSwapOutcome::swapped, req_.image.id,
                  repo_digest_for(req_.image, req_.image_ref));
  }

  BotSwapResult create_from_template() {
    if (!req_.container_template) {
      return fail("there is no container named " + name_ +
                  " on this host and no container template was given (pass --template, or "
                  "set [container] in drover.toml)");
    }
    nlohmann::json body;
    try {
      body = template_create_body(*req_.container_template, req_.bot_id, req_.image_ref);
    } catch (const std::invalid_argument& e) {
      return fail(e.what());
    }
    result_.created_from_template = true;
    const auto began = ctx_.clock.now();
    if (auto why = create_next(body); !why.empty()) {
      return fail("the new container could not be created: " + why + discard_next());
    }
    result_.timings.create = ctx_.clock.now() - began;
    stop_began_ = ctx_.clock.now();
    if (auto why = start_new(); !why.empty()) {
      try {
        if (ctx_.runtime.inspect_container(name_)) ctx_.runtime.remove_container(name_);
      } catch (const docker::RuntimeError&) {
      }
      return fail("the new container was rejected: " + why +
                  " (there was no previous container to fall back to)" + discard_next());
    }
    ctx_.log.bot(req_.bot_id, "created from the template on " + req_.image_ref);
    return finish(BotSwapOutcome::swapped, req_.image.id,
                  repo_digest_for(req_.image, req_.image_ref));
  }

  // Creates the new container as bot<ID>-next; returns why it could not, or "".
  std::string create_next(const nlohmann::json& body) {
    try {
      next_id_ = create_container(body);
    } catch (const docker::RuntimeError& e) {
      return e.what();
    }
    ctx_.on_step(req_.bot_id, SwapStep::CreatedNext);
    return "";
  }

  // Something else on the host (another tool's prune) can delete the image between our pull
  // and this create: pull it again once rather than fail the bot. A bot<ID>-next in the way is
  // a leftover (say, a killed agent's create that landed after the recovery that began this
  // swap had looked): it goes, and the create is made again once.
  std::string create_container(const nlohmann::json& body) {
    try {
      return ctx_.runtime.create_container(next_, body);
    } catch (const docker::RuntimeError& e) {
      if (e.status() == 409 && remove_leftover_next()) {
        return ctx_.runtime.create_container(next_, body);
      }
      if (e.status() != 404) throw;
      ctx_.log.bot(req_.bot_id, std::string("the image vanished before create (") + e.what() +
                                    "); pulling it again");
      ctx_.runtime.pull_image(req_.image_ref, repull_auth());
      return ctx_.runtime.create_container(next_, body);
    }
  }

  // Removes the bot<ID>-next in the way; false when there is none (then the conflict stands).
  // The name is the agent's, as for recover: whatever holds it is a leftover.
  bool remove_leftover_next() {
    const auto leftover = ctx_.runtime.inspect_container(next_);
    if (!leftover) {
      return false;
    }
    ctx_.runtime.remove_container(leftover->id);
    ctx_.log.bot(req_.bot_id, "removed a leftover " + next_ + " (" + leftover->state.status +
                                  ") that was in the way of the new container");
    return true;
  }

  // Renames bot<ID>-next to bot<ID>, starts it and proves it stays up; returns why it is not
  // up, or "".
  std::string start_new() {
    const auto began = ctx_.clock.now();
    try {
      ctx_.runtime.rename_container(next_id_, name_);
      ctx_.on_step(req_.bot_id, SwapStep::RenamedNext);
      ctx_.runtime.start_container(next_id_);
      ctx_.on_step(req_.bot_id, SwapStep::Started);
    } catch (const docker::RuntimeError& e) {
      return std::string("it could not be started: ") + e.what();
    }
    result_.timings.start = ctx_.clock.now() - began;
    result_.timings.downtime = ctx_.clock.now() - stop_began_;
    announce_started();
    ctx_.log.bot(req_.bot_id, fmt::format("started on {}; confirming it stays up for {} ms",
                                          req_.image_ref, req_.settle.count()));
    const auto settle_began = ctx_.clock.now();
    SettleVerdict verdict;
    try {
      verdict = prove_settled(ctx_, name_, req_.settle);
    } catch (const docker::RuntimeError& e) {
      verdict = {
          false, std::string("the engine could not show that it stayed up: ") + e.what(), {}};
    }
    result_.timings.settle = ctx_.clock.now() - settle_began;
    if (!verdict.confirmed) {
      if (!verdict.health_check_output.empty()) {
        return verdict.reason + "; last health check: " + verdict.health_check_output;
      }
      return verdict.reason + log_tail(ctx_, name_);
    }
    ctx_.on_step(req_.bot_id, SwapStep::Settled);
    return "";
  }

  // Removes an unstarted bot<ID>-next after a failure; "" when it is gone, else a note for
  // the reason (the next recover removes it).
  std::string discard_next() {
    try {
      if (ctx_.runtime.inspect_container(next_)) ctx_.runtime.remove_container(next_);
      return "";
    } catch (const docker::RuntimeError& e) {
      return std::string("; removing the unstarted ") + next_ + " failed: " + e.what() +
             " (the next `drover-agent recover` removes it)";
    }
  }

  // The host's credentials again; the first pull succeeded with them, so a lookup that fails
  // now falls back to an anonymous pull, whose own error then says what happened.
  std::string repull_auth() {
    try {
      return ctx_.registry_auth(core::parse_image_reference(req_.image_ref)).header;
    } catch (const std::exception&) {
      return "";
    }
  }

  BotSwapResult roll_back(const std::string& why) {
    announce_started();
    ctx_.log.bot(req_.bot_id, "new container rejected (" + why + "); rolling back");
    std::string problem;
    try {
      problem = restore_prev(ctx_, req_.bot_id);
    } catch (const docker::RuntimeError& e) {
      problem = std::string("the engine refused a rollback step: ") + e.what();
    }
    result_.timings.downtime = ctx_.clock.now() - stop_began_;
    if (!problem.empty()) {
      return fail("new image rejected (" + why + ") and the rollback did not complete: " + problem +
                  "; run `drover-agent recover --bots " + std::to_string(req_.bot_id) +
                  "` on this host");
    }
    // When the rename of bot<ID>-next failed, it is still there: dropped once the old
    // container runs again.
    result_.reason = "new container rejected, old container restored: " + why + discard_next();
    return finish(BotSwapOutcome::rolled_back, old_image_id_, old_digest_);
  }

  // A failure before the old container was renamed: make sure it still runs, and drop the
  // new container that never ran.
  BotSwapResult fail_keeping_old(const std::string& old_id, const std::string& why) {
    std::string restarted;
    try {
      auto info = ctx_.runtime.inspect_container(old_id);
      if (info && !info->state.running) {
        ctx_.runtime.start_container(old_id);
        restarted = "; the old container was started again";
      }
    } catch (const docker::RuntimeError& e) {
      restarted = std::string("; restarting the old container also failed: ") + e.what() +
                  " (run `drover-agent recover`)";
    }
    result_.image_id = old_image_id_;
    result_.repo_digest = old_digest_;
    return fail(why + restarted + discard_next());
  }

  BotSwapResult fail(const std::string& why) {
    announce_started();
    ctx_.log.bot(req_.bot_id, "FAILED: " + why);
    result_.outcome = BotSwapOutcome::failed;
    result_.reason = why;
    return result_;
  }

  BotSwapResult finish(BotSwapOutcome outcome, const std::string& image_id,
                       const std::string& digest) {
    announce_started();
    result_.outcome = outcome;
    result_.image_id = image_id;
    result_.repo_digest = digest;
    return result_;
  }

  void announce_started() {
    if (announced_) return;
    announced_ = true;
    req_.on_new_started();
  }

  AgentContext& ctx_;
  const BotSwapRequest& req_;
  const std::string name_;
  const std::string prev_;
  const std::string next_;
  BotSwapResult result_;
  TimePoint stop_began_{};
  std::string next_id_;
  std::string old_image_id_;
  std::string old_digest_;
  bool announced_ = false;
};

}  // namespace

BotSwapResult swap_bot(AgentContext& ctx, const BotSwapRequest& request) {
  return BotSwap(ctx, request).run();
}

}  // namespace drover::agent
