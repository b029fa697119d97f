#include "cli/fleet/agent_calls.h"

#include <fmt/format.h>

#include "core/agent_request.h"
#include "core/swap_outcome.h"

namespace drover::cli {
namespace {

// The agent's own wait budget plus generous room for the pull: a host whose agent runs
// longer than this is reported timed out, not waited on forever.
std::chrono::seconds swap_timeout(const core::SpeedSettings& s) {
  auto budget = s.jitter + s.stop_timeout + 3 * s.settle +
                (s.login_poll ? s.login_wait : drover::Duration(0));
  return std::chrono::duration_cast<std::chrono::seconds>(budget) + std::chrono::minutes(10);
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

core::AgentCall swap_call(const core::DeployPlan& plan, const core::HostSelection& host,
                          const DroverConfig& config) {
  const auto& s = plan.settings;
  core::SwapRequest request;
  request.bots = host.bots;
  request.image =
      core::parse_image_reference(plan.pinned_image.empty() ? plan.image : plan.pinned_image);
  request.stop_timeout = std::chrono::duration_cast<std::chrono::seconds>(s.stop_timeout);
  request.settle = s.settle;
  request.jitter = s.jitter;
  request.login_wait = s.login_poll ? s.login_wait : drover::Duration(0);
  request.login_probe = config.login_probe;
  request.disk_floor_mb = config.disk_floor_mb;
  request.container_template = config.container_template;
  return {core::agent_argv(request), swap_timeout(s)};
}

core::AgentCall status_call(const std::vector<core::BotId>& bots, const std::string& expect_image,
                            const DroverConfig& config) {
  core::StatusRequest request;
  request.bots = bots;
  if (!expect_image.empty()) request.expect_image = core::parse_image_reference(expect_image);
  request.login_probe = config.login_probe;
  return {core::agent_argv(request), std::chrono::minutes(2)};
}

core::AgentCall baseline_call(const DroverConfig& config, bool fix) {
  core::BaselineRequest request;
  request.fix = fix;
  request.disk_floor_mb = config.disk_floor_mb;
  // --fix may prune every unused image on a nearly full disk.
  return {core::agent_argv(request), std::chrono::minutes(10)};
}

SwapCallResult read_swap_call(const core::AgentResult& result,
                              const std::vector<core::BotId>& bots) {
  if (!result.ok()) {
    return {
        core::HostOutcome::failure(core::failure_kind(result.status), first_line(result.detail)),
        {}};
  }
  try {
    const auto report = core::read_swap_report(result.report);
    SwapCallResult call{core::swap_outcome(report, bots), {}};
    for (const auto& bot : report.bots) call.timings.push_back({bot.bot, bot.timings});
    return call;
  } catch (const core::AgentOutputError& e) {
    return {core::HostOutcome::failure(core::FailureKind::bad_output,
                                       std::string("unreadable agent report: ") + e.what()),
            {}};
  }
}

std::vector<core::BotStatus> status_from_result(const core::AgentResult& result,
                                                std::string& problem) {
  if (!result.ok()) {
    problem = first_line(result.detail);
    return {};
  }
  try {
    auto report = core::read_status_report(result.report);
    if (report.error) problem = *report.error;
    return report.bots;
  } catch (const core::AgentOutputError& e) {
    problem = std::string("unreadable agent report: ") + e.what();
    return {};
  }
}

core::Host host_of(const core::HostSelection& selection) {
  core::Host host;
  host.name = selection.name;
  host.address = selection.address;
  host.bots = selection.bots;
  return host;
}

}  // namespace drover::cli
