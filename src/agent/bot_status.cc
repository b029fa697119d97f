#include "agent/bot_status.h"

#include <algorithm>

#include "agent/bot_names.h"

namespace drover::agent {
namespace {

bool image_matches(AgentContext& ctx, const core::BotStatus& status,
                   const core::ImageReference& expect) {
  if (!expect.digest.empty()) {
    const auto text = expect.str();
    const auto digest = "@" + expect.digest;
    return std::any_of(status.repo_digests.begin(), status.repo_digests.end(),
                       [&](const std::string& d) { return d == text || d.ends_with(digest); });
  }
  auto expected = ctx.runtime.inspect_image(expect.str());
  return expected && expected->id == status.image_id;
}

void set_login(core::BotStatus& status, const LoginReading& reading) {
  status.login = reading.state;
  status.login_detail = reading.detail;
}

core::BotStatus read_one(AgentContext& ctx, LoginProbe& probe, int bot_id,
                         const std::optional<core::ImageReference>& expect) {
  core::BotStatus status;
  status.bot = bot_id;
  try {
    status.prev_left_over = ctx.runtime.inspect_container(prev_container_name(bot_id)).has_value();
    auto info = ctx.runtime.inspect_container(container_name(bot_id));
    if (!info) {
      set_login(status, {LoginState::not_logged_in, "no container " + container_name(bot_id)});
      if (expect) {
        status.on_expected_image = false;
      }
      return status;
    }
    status.present = true;
    status.running = info->state.running && !info->state.restarting;
    status.state = info->state.status;
    status.exit_code = info->state.exit_code;
    status.image = info->image_ref;
    status.health = info->state.health;
    status.restart_count = info->restart_count;
    status.image_id = info->image_id;
    if (auto image = ctx.runtime.inspect_image(info->image_id)) {
      status.repo_digests = image->repo_digests;
    }
    if (expect) {
      status.on_expected_image = image_matches(ctx, status, *expect);
    }
    set_login(status, probe.check(bot_id, *info));
  } catch (const docker::RuntimeError& e) {
    status.error = e.what();
    set_login(status, {LoginState::unknown, e.what()});
  }
  return status;
}

}  // namespace

std::vector<core::BotStatus> read_bot_status(AgentContext& ctx, LoginProbe& probe,
                                             const std::vector<int>& bot_ids,
                                             const std::map<int, core::ImageReference>& expected) {
  std::vector<core::BotStatus> out;
  for (int id : bot_ids) {
    const auto found = expected.find(id);
    out.push_back(read_one(ctx, probe, id,
                           found == expected.end() ? std::nullopt : std::optional(found->second)));
  }
  // A crash-looping container is "running" for the few milliseconds after each restart: one
  // the engine has restarted is watched a moment before it is called running. It is
  // crash-looping if it restarted again or stopped meanwhile. (One look at the wrong moment
  // read such a bot as running the old image.) One wait for all of them.
  std::vector<core::BotStatus*> restarted;
  for (auto& status : out) {
    if (status.running && status.restart_count > 0) {
      restarted.push_back(&status);
    }
  }
  if (restarted.empty()) {
    return out;
  }
  ctx.clock.sleep_for(kRestartWatch);
  for (auto* status : restarted) {
    try {
      const auto again = ctx.runtime.inspect_container(container_name(status->bot));
      if (again && again->state.running && !again->state.restarting &&
          again->restart_count == status->restart_count) {
        continue;
      }
      status->running = false;
      status->state = "restarting";
      if (again) {
        status->restart_count = again->restart_count;
      }
    } catch (const docker::RuntimeError& e) {
      status->error = e.what();
    }
  }
  return out;
}

}  // namespace drover::agent
