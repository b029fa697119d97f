#include "agent/agent_report.h"

#include "agent/image_digest.h"

namespace drover::agent {
namespace {

core::RecoveredBot recovered_bot(const RecoverResult& r) {
  return {r.bot_id, r.action, r.detail};
}

core::BotSwapResult bot_swap_result(const BotSwapResult& bot, const HostSwapResult& host) {
  core::BotSwapResult out;
  out.bot = bot.bot_id;
  out.outcome = bot.outcome;
  out.reason = bot.reason;
  out.image_id = bot.image_id;
  out.repo_digest = bot.repo_digest;
  out.created_from_template = bot.created_from_template;
  out.from = bot.from;
  out.timings.pull_ms = host.pull_time.count();
  out.timings.create_ms = bot.timings.create.count();
  out.timings.stop_ms = bot.timings.stop.count();
  out.timings.start_ms = bot.timings.start.count();
  out.timings.settle_ms = bot.timings.settle.count();
  out.timings.cleanup_ms = bot.timings.cleanup.count();
  out.timings.prune_ms = host.prune_time.count();
  out.timings.login_ms = host.login_time.count();
  out.timings.downtime_ms = bot.timings.downtime.count();
  for (const auto& login : host.logins) {
    if (login.bot_id != bot.bot_id) continue;
    out.login = login.reading.state;
    out.login_detail = login.reading.detail;
  }
  return out;
}

}  // namespace

core::SwapReport swap_report(const std::string& host, const HostSwapResult& result) {
  core::SwapReport report;
  report.host = host;
  report.ok = result.ok();
  report.image = core::SwapImage{result.image_ref, "", ""};
  if (result.image) {
    report.image->id = result.image->id;
    report.image->repo_digest = repo_digest_for(*result.image, result.image_ref);
  }
  report.jitter_ms = result.jitter_waited.count();
  report.free_bytes_before = result.free_bytes_before;
  for (const auto& r : result.recovered) report.recovered.push_back(recovered_bot(r));
  for (const auto& bot : result.bots) report.bots.push_back(bot_swap_result(bot, result));
  report.space_reclaimed = result.prune.space_reclaimed;
  report.images_deleted = static_cast<std::int64_t>(result.prune.deleted.size());
  report.prune_error = result.prune_error;
  if (!result.error.empty()) report.error = result.error;
  return report;
}

core::StatusReport status_report(const std::string& host, std::vector<core::BotStatus> bots) {
  core::StatusReport report;
  report.host = host;
  report.ok = true;
  for (const auto& s : bots) {
    report.ok = report.ok && s.running && s.on_expected_image.value_or(true) && s.error.empty();
  }
  report.bots = std::move(bots);
  return report;
}

core::RecoverReport recover_report(const std::string& host,
                                   const std::vector<RecoverResult>& bots) {
  core::RecoverReport report;
  report.host = host;
  report.ok = true;
  for (const auto& r : bots) {
    report.ok = report.ok && r.running();
    report.bots.push_back(recovered_bot(r));
  }
  return report;
}

}  // namespace drover::agent
