#include "cli/fleet/verify_driver.h"

#include <fmt/format.h>

#include "cli/fleet/agent_calls.h"
#include "cli/fleet/host_calls.h"

namespace drover::cli {
namespace {

// Every host's status: one batch where the transport has one (ssm), else 16 hosts at a time
// (enough to verify 178 hosts in seconds, few enough not to open hundreds of SSH sessions).
std::vector<core::BotStatus> read_statuses(const std::vector<core::HostSelection>& hosts,
                                           const core::ExpectedImages& expected,
                                           const DroverConfig& config, core::Transport& transport,
                                           RolloutView& view) {
  // Each report read as it comes and dropped: the bots' statuses are what is kept.
  std::vector<std::vector<core::BotStatus>> by_host(hosts.size());
  std::vector<std::string> problems(hosts.size());
  for_each_host_result(
      transport, hosts,
      [&](const core::HostSelection& host) { return status_call(host.bots, expected, config); },
      [&](std::size_t i, core::AgentResult&& result) {
        by_host[i] = status_from_result(result, problems[i]);
      });
  std::size_t bots = 0;
  for (const auto& host : by_host) {
    bots += host.size();
  }
  // Sized once, and each host's statuses freed as they are moved: 30,000 bots' statuses are
  // never held twice, nor in a vector grown by doubling.
  std::vector<core::BotStatus> statuses;
  statuses.reserve(bots);
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!problems[i].empty()) {
      view.notice(fmt::format("host {} did not answer: {}", hosts[i].name, problems[i]));
    }
    statuses.insert(statuses.end(), std::make_move_iterator(by_host[i].begin()),
                    std::make_move_iterator(by_host[i].end()));
    std::vector<core::BotStatus>().swap(by_host[i]);
  }
  return statuses;
}

}  // namespace

core::VerificationReport read_verification(const core::Selection& selection,
                                           const core::ExpectedImages& expected,
                                           const DroverConfig& config, core::Transport& transport,
                                           RolloutView& view) {
  auto statuses = read_statuses(selection.hosts, expected, config, transport, view);
  return core::classify_bots(selection.bots(), statuses);
}

VerifyResult verify_selection(const core::Selection& selection,
                              const core::ExpectedImages& expected, const DroverConfig& config,
                              core::Transport& transport, Clock& clock, RolloutView& view,
                              drover::Duration straggler_wait) {
  return report_and_retry(read_verification(selection, expected, config, transport, view),
                          selection, expected, config, transport, clock, view, straggler_wait);
}

VerifyResult report_and_retry(const core::VerificationReport& report,
                              const core::Selection& selection,
                              const core::ExpectedImages& expected, const DroverConfig& config,
                              core::Transport& transport, Clock& clock, RolloutView& view,
                              drover::Duration straggler_wait,
                              const std::atomic<bool>* stop_waiting) {
  VerifyResult out;
  out.report = report;
  view.verification(out.report);

  auto plan = core::plan_straggler_retry(out.report, selection, straggler_wait);
  if (plan.empty()) return out;
  auto started = clock.now();
  auto next_look = started + core::kStragglerLookInterval;
  for (auto left = plan.wait; left.count() > 0;
       left = core::straggler_wait_remaining(plan, started, clock.now())) {
    if (stop_waiting && *stop_waiting) return out;
    // The wait is a ceiling, not a sentence: once every straggler has logged in, it ends.
    if (clock.now() >= next_look) {
      auto looked = core::evaluate_straggler_retry(
          plan, read_statuses(plan.hosts, expected, config, transport, view));
      if (looked.all_logged_in()) {
        view.straggler_recheck(plan.bot_count());
        out.retry = looked;
        view.straggler_result(*out.retry);
        return out;
      }
      next_look = clock.now() + core::kStragglerLookInterval;
    }
    view.straggler_countdown(plan.bot_count(), left);
    clock.sleep_for(std::min<drover::Duration>(left, drover::Duration(1000)));
  }
  view.straggler_recheck(plan.bot_count());
  auto rechecked = read_statuses(plan.hosts, expected, config, transport, view);
  out.retry = core::evaluate_straggler_retry(plan, rechecked);
  view.straggler_result(*out.retry);
  return out;
}

}  // namespace drover::cli
