#include "agent/host_swap.h"

#include <algorithm>
#include <map>
#include <thread>

#include "agent/bot_names.h"
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

std::vector<BotSwapResult> swap_bots(AgentContext& ctx, const HostSwapOptions& options,
                                     const PulledImages& pulled) {
  std::vector<std::optional<BotSwapRequest>> requests;
  std::vector<BotSwapResult> results(options.bot_ids.size());
  for (std::size_t i = 0; i < options.bot_ids.size(); ++i) {
    const int id = options.bot_ids[i];
    const auto& ref = image_ref_for(options, id);
    const auto image = pulled.images.find(ref);
    if (image == pulled.images.end()) {
      results[i].bot_id = id;
      results[i].outcome = BotSwapOutcome::failed;
      results[i].reason = pulled.failures.at(ref) + "; the bot was not touched";
      requests.emplace_back();
      continue;
    }
    requests.push_back(BotSwapRequest{id, image->second, ref, options.stop_timeout, options.settle,
                                      options.container_template});
  }
  if (!options.parallel) {
    for (size_t i = 0; i < requests.size(); ++i) {
      if (requests[i]) results[i] = swap_bot(ctx, *requests[i]);
    }
    return results;
  }
  std::vector<std::jthread> threads;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i]) threads.emplace_back([&, i] { results[i] = swap_bot(ctx, *requests[i]); });
  }
  threads.clear();  // joins
  return results;
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
  for (int id : options.bot_ids) {
    auto recovered = recover_bot(ctx, id, options.settle);
    if (recovered.action != RecoverAction::none && recovered.action != RecoverAction::absent) {
      result.recovered.push_back(recovered);
    }
  }
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

  result.bots = swap_bots(ctx, options, pulled);

  try {
    auto pruned = ctx.runtime.prune_images();
    result.prune.space_reclaimed += pruned.space_reclaimed;
    result.prune.deleted.insert(result.prune.deleted.end(), pruned.deleted.begin(),
                                pruned.deleted.end());
    ctx.log.line(fmt::format("pruned {} unused image(s), reclaimed {}", result.prune.deleted.size(),
                             human_bytes(result.prune.space_reclaimed)));
  } catch (const docker::RuntimeError& e) {
    result.prune_error = e.what();
    ctx.log.line(std::string("warning: image prune failed: ") + e.what());
  }
  ctx.on_step(0, SwapStep::Pruned);

  result.logins = poll_logins(ctx, probe, options, result.bots);
  return result;
}

}  // namespace drover::agent
