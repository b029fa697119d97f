#include "agent/bot_status.h"

#include <algorithm>

#include "agent/bot_names.h"

namespace drover::agent {
namespace {

bool image_matches(AgentContext& ctx, const BotStatus& status, const std::string& expect) {
  if (expect.find("@sha256:") != std::string::npos) {
    auto digest = expect.substr(expect.find('@'));
    return std::any_of(status.repo_digests.begin(), status.repo_digests.end(),
                       [&](const std::string& d) { return d == expect || d.ends_with(digest); });
  }
  auto expected = ctx.runtime.inspect_image(expect);
  return expected && expected->id == status.image_id;
}

BotStatus read_one(AgentContext& ctx, LoginProbe& probe, int bot_id, const std::string& expect) {
  BotStatus status;
  status.bot_id = bot_id;
  try {
    status.prev_left_over = ctx.runtime.inspect_container(prev_container_name(bot_id)).has_value();
    auto info = ctx.runtime.inspect_container(container_name(bot_id));
    if (!info) {
      status.login = {LoginState::not_logged_in, "no container " + container_name(bot_id)};
      if (!expect.empty()) status.matches_expected = false;
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
    if (!expect.empty()) status.matches_expected = image_matches(ctx, status, expect);
    status.login = probe.check(bot_id, *info);
  } catch (const docker::RuntimeError& e) {
    status.error = e.what();
    status.login = {LoginState::unknown, e.what()};
  }
  return status;
}

}  // namespace

std::vector<BotStatus> read_bot_status(AgentContext& ctx, LoginProbe& probe,
                                       const std::vector<int>& bot_ids,
                                       const std::string& expect_image) {
  std::vector<BotStatus> out;
  for (int id : bot_ids) out.push_back(read_one(ctx, probe, id, expect_image));
  return out;
}

}  // namespace drover::agent
