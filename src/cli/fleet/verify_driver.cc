#include "cli/fleet/verify_driver.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

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
  // Each report read as it comes and dropped: the bots' statuses are what is kept, each moved
  // straight to its place in one vector sized for the bots asked for. They are held once,
  // never gathered from a vector per host (issue 11: at 10,000 instances that second copy of
  // 30,000 statuses was a sixth of the deploy's page faults).
  std::vector<std::size_t> first(hosts.size() + 1, 0);
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    first[i + 1] = first[i] + hosts[i].bots.size();
  }
  std::vector<core::BotStatus> statuses(first.back());
  std::vector<std::size_t> filled(hosts.size(), 0);
  std::vector<std::vector<core::BotStatus>> beyond(hosts.size());  // more than were asked for
  std::vector<std::string> problems(hosts.size());
  for_each_host_result(
      transport, hosts,
      [&](const core::HostSelection& host) { return status_call(host.bots, expected, config); },
      [&](std::size_t i, core::AgentResult&& result) {
        auto bots = status_from_result(result, problems[i]);
        const auto fits = std::min(bots.size(), first[i + 1] - first[i]);
        std::move(bots.begin(), bots.begin() + static_cast<std::ptrdiff_t>(fits),
                  statuses.begin() + static_cast<std::ptrdiff_t>(first[i]));
        filled[i] = fits;
        beyond[i].assign(std::make_move_iterator(bots.begin() + static_cast<std::ptrdiff_t>(fits)),
                         std::make_move_iterator(bots.end()));
      });
  bool as_asked = true;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (!problems[i].empty()) {
      view.notice(fmt::format("host {} did not answer: {}", hosts[i].name, problems[i]));
    }
    as_asked = as_asked && filled[i] == first[i + 1] - first[i] && beyond[i].empty();
  }
  if (!as_asked) {
    // A host that answered for fewer bots (or more) than asked: its own, in host order.
    std::vector<core::BotStatus> answered;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      const auto begin = statuses.begin() + static_cast<std::ptrdiff_t>(first[i]);
      answered.insert(answered.end(), std::make_move_iterator(begin),
                      std::make_move_iterator(begin + static_cast<std::ptrdiff_t>(filled[i])));
      answered.insert(answered.end(), std::make_move_iterator(beyond[i].begin()),
                      std::make_move_iterator(beyond[i].end()));
    }
    return answered;
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
