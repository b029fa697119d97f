#include "cli/fleet/agent_calls.h"

#include <fmt/format.h>

#include "core/swap_outcome.h"

namespace drover::cli {
namespace {

std::string bot_list(const std::vector<core::BotId>& bots) {
  std::string out;
  for (auto id : bots) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::string whole_seconds(drover::Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

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
  core::AgentCall call;
  call.args = {"swap",
               "--bots",
               bot_list(host.bots),
               "--image",
               plan.pinned_image.empty() ? plan.image : plan.pinned_image,
               "--stop-timeout",
               whole_seconds(s.stop_timeout),
               "--settle",
               whole_seconds(s.settle),
               "--login-wait",
               s.login_poll ? whole_seconds(s.login_wait) : "0",
               "--login-probe",
               config.login_probe,
               "--disk-floor-mb",
               std::to_string(config.disk_floor_mb)};
  if (s.jitter.count() > 0)
    call.args.insert(call.args.end(), {"--jitter", whole_seconds(s.jitter)});
  if (config.container_template) {
    call.args.insert(call.args.end(), {"--template", config.container_template->dump()});
  }
  call.timeout = swap_timeout(s);
  return call;
}

core::AgentCall status_call(const std::vector<core::BotId>& bots, const std::string& expect_image,
                            const DroverConfig& config) {
  core::AgentCall call;
  call.args = {"status", "--bots", bot_list(bots), "--login-probe", config.login_probe};
  if (!expect_image.empty()) call.args.insert(call.args.end(), {"--expect-image", expect_image});
  call.timeout = std::chrono::minutes(2);
  return call;
}

core::HostOutcome swap_host_outcome(const core::AgentResult& result,
                                    const std::vector<core::BotId>& bots) {
  if (!result.ok()) {
    return core::HostOutcome::failure(core::failure_kind(result.status), first_line(result.detail));
  }
  try {
    return core::swap_outcome(core::parse_swap_report(result.report.dump()), bots);
  } catch (const core::AgentOutputError& e) {
    return core::HostOutcome::failure(core::FailureKind::bad_output,
                                      std::string("unreadable agent report: ") + e.what());
  }
}

std::vector<core::BotStatus> status_from_result(const core::AgentResult& result,
                                                std::string& problem) {
  if (!result.ok()) {
    problem = first_line(result.detail);
    return {};
  }
  try {
    auto report = core::parse_status_report(result.report.dump());
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
