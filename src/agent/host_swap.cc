#include "agent/host_swap.h"

#include <algorithm>
#include <latch>
#include <map>
#include <thread>

#include "agent/bot_names.h"
#include "agent/image_cleanup.h"
#include "registry/registry_credentials.h"

namespace drover::agent {

bool HostSwapResult::ok() const {
  return error.empty() && std::all_of(bots.begin(), bots.end(), [](const BotSwapResult& b) {
           return b.outcome == BotSwapOutcome::swapped || b.outcome == BotSwapOutcome::unchanged;
         });
}

namespace {

std::string human_bytes(std::int64_t bytes) {
  if (bytes >= (1LL << 30))
    return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1LL << 30));
  return fmt::format("{:.0f} MiB", static_cast<double>(bytes) / (1LL << 20));
}

// Every bot reported failed with the same host-wide cause; none was touched.
void fail_all(HostSwapResult& result, const HostSwapOptions& options, const std::string& why) {
  result.error = why;
  for (int id : options.bot_ids) {
    BotSwapResult bot;
    bot.bot_id = id;
    bot.outcome = BotSwapOutcome::failed;
    bot.reason = why;
    result.bots.push_back(bot);
  }
}

// Preflight: refuse before the pull when Docker's disk is below the floor even after a
// prune (a full root disk was the root cause of the guide's incident).
std::string check_disk(AgentContext& ctx, HostSwapResult& result, const HostSwapOptions& options) {
  auto root = ctx.runtime.data_root();
  auto free = ctx.free_bytes(root);
  result.free_bytes_before = free;
  if (!free) {
    ctx.log.line("warning: cannot read free space of " + root + "; disk floor not checked");
    return "";
  }
  if (*free >= options.disk_floor_bytes) return "";
  ctx.log.line(fmt::format("only {} free on {} (floor {}); pruning unused images first",
                           human_bytes(*free), root, human_bytes(options.disk_floor_bytes)));
  result.prune = ctx.runtime.prune_images();
  free = ctx.free_bytes(root);
  if (free && *free >= options.disk_floor_bytes) return "";
  return fmt::format(
      "only {} free on {} even after pruning unused images (floor {}); nothing was stopped. "
      "Free disk space on this host, or lower the floor with --disk-floor-mb",
      free ? human_bytes(*free) : "unknown", root, human_bytes(options.disk_floor_bytes));
}

// Runs work(i) for every bot: on a thread each, or one after the other (tests).
template <typename Work>
void for_each_bot(bool parallel, std::size_t count, const Work& work) {
  if (!parallel) {
    for (std::size_t i = 0; i < count; ++i) work(i);
    return;
  }
  std::vector<std::jthread> threads;
  for (std::size_t i = 0; i < count; ++i) threads.emplace_back([&work, i] { work(i); });
}

std::vector<RecoverResult> recover_bots(AgentContext& ctx, const HostSwapOptions& options) {
  std::vector<RecoverResult> all(options.bot_ids.size());
  for_each_bot(options.parallel, all.size(), [&](std::size_t i) {
    all[i] = recover_bot(ctx, options.bot_ids[i], options.settle);
  });
  std::vector<RecoverResult> repaired;
  for (const auto& r : all) {
    if (r.action != RecoverAction::none && r.action != RecoverAction::absent) repaired.push_back(r);
  }
  return repaired;
}

void add_pruned(docker::PruneResult& into, const docker::PruneResult& more) {
  into.space_reclaimed += more.space_reclaimed;
  into.deleted.insert(into.deleted.end(), more.deleted.begin(), more.deleted.end());
}

const std::string& image_ref_for(const HostSwapOptions& options, int bot_id) {
  const auto found = options.bot_image_refs.find(bot_id);
  return found == options.bot_image_refs.end() ? options.image_ref : found->second;
}

// The images the bots need, each once, in the order of the first bot that needs it.
std::vector<std::string> images_needed(const HostSwapOptions& options) {
  std::vector<std::string> refs;
  for (int id : options.bot_ids) {
    const auto& ref = image_ref_for(options, id);
    if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(ref);
  }
  return refs;
}

// What the pulls gave: each image pulled, or why it could not be.
struct PulledImages {
  std::map<std::string, docker::ImageInfo> images;
  std::map<std::string, std::string> failures;  // ref → the registry's or engine's message
};

// Each image with the credentials this host has for its registry (registry_credentials.h).
// Throws RuntimeError only when the engine itself stopped answering.
PulledImages pull_images(AgentContext& ctx, const std::vector<std::string>& refs) {
  PulledImages pulled;
  for (const auto& ref : refs) {
    const auto image = core::parse_image_reference(ref);
    PullAuth auth;
    try {
      auth = ctx.registry_auth(image);
      ctx.log.line("pulling " + ref +
                   (auth.source.empty() ? "" : " with the credentials from " + auth.source));
      pulled.images.emplace(ref, ctx.runtime.pull_image(ref, auth.header));
    } catch (const registry::RegistryAuthError& e) {
      pulled.failures.emplace(
          ref,
          "pulling " + ref + " needs registry credentials this host could not read: " + e.what());
    } catch (const docker::RuntimeError& e) {
      if (e.unreachable()) throw;
      pulled.failures.emplace(ref,
                              "pulling " + ref + " failed: " +
                                  (is_registry_refusal(e) ? registry_refusal_reason(image, auth)
                                                          : std::string(e.what())));
    }
  }
  return pulled;
}

// Every bot's swap. The prune runs on this thread as soon as every bot's new container has
// started: the settle windows that follow are waiting, and every image the swap still needs
// is in use by a container by then (image_cleanup.h). Returns when the bots and the prune are
// done; `last_bot_done` is when the last bot finished. A bot whose image could not be pulled
// fails untouched.
std::vector<BotSwapResult> swap_bots(AgentContext& ctx, const HostSwapOptions& options,
                                     const PulledImages& pulled, HostSwapResult& result,
                                     TimePoint& last_bot_done) {
  std::vector<BotSwapResult> bots(options.bot_ids.size());
  std::vector<BotSwapRequest> requests;
  std::vector<std::size_t> slot;  // requests[k] is bots[slot[k]]
  for (std::size_t i = 0; i < options.bot_ids.size(); ++i) {
    const int id = options.bot_ids[i];
    const auto& ref = image_ref_for(options, id);
    const auto image = pulled.images.find(ref);
    if (image == pulled.images.end()) {
      bots[i].bot_id = id;
      bots[i].outcome = BotSwapOutcome::failed;
      bots[i].reason = pulled.failures.at(ref) + "; the bot was not touched";
      continue;
    }
    requests.push_back(BotSwapRequest{id, image->second, ref, options.stop_timeout, options.settle,
                                      options.container_template});
    slot.push_back(i);
  }
  last_bot_done = ctx.clock.now();
  std::vector<TimePoint> done(requests.size(), last_bot_done);
  const auto swap_one = [&](std::size_t k) {
    bots[slot[k]] = swap_bot(ctx, requests[k]);
    done[k] = ctx.clock.now();
  };
  PruneOutcome pruned;
  if (options.parallel) {
    std::latch started(static_cast<std::ptrdiff_t>(requests.size()));
    for (auto& request : requests) request.on_new_started = [&started] { started.count_down(); };
    std::vector<std::jthread> threads;
    for (std::size_t k = 0; k < requests.size(); ++k) threads.emplace_back(swap_one, k);
    started.wait();
    pruned = prune_unused_images(ctx);
    ctx.on_step(0, SwapStep::Pruned);
  } else {
    for_each_bot(false, requests.size(), swap_one);
    pruned = prune_unused_images(ctx);
    ctx.on_step(0, SwapStep::Pruned);
  }
  if (!done.empty()) last_bot_done = *std::max_element(done.begin(), done.end());
  result.prune_overlapped = pruned.took;
  add_pruned(result.prune, pruned.result);
  if (!pruned.error.empty()) result.prune_error = pruned.error;
  return bots;
}

// The images the swap let go of: each swapped bot's old image, and each pulled image some
// bot does not run after all (rolled back, failed).
std::vector<docker::ImageInfo> released_images(const HostSwapOptions& options,
                                               const PulledImages& pulled,
                                               const HostSwapResult& result) {
  std::vector<docker::ImageInfo> images;
  for (const auto& bot : result.bots) {
    if (bot.released_image) images.push_back(*bot.released_image);
    if (bot.outcome != BotSwapOutcome::rolled_back && bot.outcome != BotSwapOutcome::failed) {
      continue;
    }
    if (auto target = pulled.images.find(image_ref_for(options, bot.bot_id));
        target != pulled.images.end()) {
      images.push_back(target->second);
    }
  }
  return images;
}

LoginReading read_login(AgentContext& ctx, LoginProbe& probe, int bot_id) {
  try {
    auto info = ctx.runtime.inspect_container(container_name(bot_id));
    if (!info) return {LoginState::not_logged_in, "no container " + container_name(bot_id)};
    return probe.check(bot_id, *info);
  } catch (const docker::RuntimeError& e) {
    return {LoginState::unknown, e.what()};
  }
}

// Informational only: the login state never turns a swap into a failure.
std::vector<BotLogin> poll_logins(AgentContext& ctx, LoginProbe& probe,
                                  const HostSwapOptions& options,
                                  const std::vector<BotSwapResult>& bots) {
  std::vector<BotLogin> logins;
  for (const auto& bot : bots) {
    if (bot.outcome != BotSwapOutcome::failed) logins.push_back({bot.bot_id, {}});
  }
  auto deadline = ctx.clock.now() + options.login_wait;
  while (true) {
    bool all_in = true;
    for (auto& login : logins) {
      if (login.reading.state == LoginState::logged_in) continue;
      login.reading = read_login(ctx, probe, login.bot_id);
      all_in = all_in && login.reading.state == LoginState::logged_in;
    }
    if (all_in || ctx.clock.now() >= deadline) break;
    ctx.clock.sleep_for(std::min<Duration>(Duration(1000), deadline - ctx.clock.now()));
  }
  return logins;
}

}  // namespace

HostSwapResult swap_host(AgentContext& ctx, LoginProbe& probe, const HostSwapOptions& options) {
  HostSwapResult result;
  result.image_ref = options.image_ref;
  result.recovered = recover_bots(ctx, options);
  ctx.on_step(0, SwapStep::Recovered);

  if (options.jitter.count() > 0) {
    result.jitter_waited = Duration(ctx.random.uniform(0, options.jitter.count()));
    ctx.log.line(
        fmt::format("waiting {} ms of jitter before starting", result.jitter_waited.count()));
    ctx.clock.sleep_for(result.jitter_waited);
    ctx.log.step("pull");
  }

  PulledImages pulled;
  try {
    ctx.runtime.ping();
    if (auto why = check_disk(ctx, result, options); !why.empty()) {
      fail_all(result, options, why);
      return result;
    }
    auto began = ctx.clock.now();
    pulled = pull_images(ctx, images_needed(options));
    result.pull_time = ctx.clock.now() - began;
  } catch (const docker::RuntimeError& e) {
    fail_all(result, options, std::string(e.what()) + "; no bot was touched");
    return result;
  }
  if (pulled.images.empty()) {
    std::string why;
    for (const auto& [ref, failure] : pulled.failures) why += (why.empty() ? "" : "; ") + failure;
    fail_all(result, options, why + "; no bot was touched");
    return result;
  }
  if (auto main = pulled.images.find(options.image_ref); main != pulled.images.end()) {
    result.image = main->second;
  }
  ctx.on_step(0, SwapStep::Pulled);

  TimePoint last_bot_done;
  result.bots = swap_bots(ctx, options, pulled, result, last_bot_done);

  auto released = remove_released_images(ctx, released_images(options, pulled, result));
  for (const auto& id : released.removed) result.prune.deleted.push_back(id);
  add_pruned(result.prune, released.fallback);
  if (!released.error.empty() && result.prune_error.empty()) result.prune_error = released.error;
  ctx.on_step(0, SwapStep::RemovedOldImages);
  result.prune_time = ctx.clock.now() - last_bot_done;
  if (result.prune_error.empty()) {
    ctx.log.line(fmt::format(
        "pruned {} unused image(s), reclaimed {} (the prune took {} ms while the bots settled; "
        "{} ms after them)",
        result.prune.deleted.size(), human_bytes(result.prune.space_reclaimed),
        result.prune_overlapped.count(), result.prune_time.count()));
  } else {
    ctx.log.line("warning: image prune failed: " + result.prune_error);
  }

  const auto login_began = ctx.clock.now();
  result.logins = poll_logins(ctx, probe, options, result.bots);
  result.login_time = ctx.clock.now() - login_began;
  return result;
}

}  // namespace drover::agent
