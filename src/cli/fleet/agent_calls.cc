#include "cli/fleet/agent_calls.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "core/agent_request.h"
#include "core/swap_outcome.h"
#include "transport/report_reader.h"

namespace drover::cli {
namespace {

// The agent's own wait budget plus generous room for the pull: a host whose agent runs
// longer than this is reported timed out, not waited on forever.
std::chrono::seconds swap_timeout(const core::SpeedSettings& s) {
  auto budget = s.stop_timeout + 3 * s.settle + (s.login_poll ? s.login_wait : drover::Duration(0));
  return std::chrono::duration_cast<std::chrono::seconds>(budget) + std::chrono::minutes(10);
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// The image most of `bots` get (the first bot's on a tie), and each other bot's own: what goes
// into --image and --bot-image. Bots given no image ("") get none.
struct ImagesOnHost {
  std::string common;
  std::map<core::BotId, core::ImageReference> others;
};

// parse_image_reference(text), remembered for the text last asked on this thread: every host of
// a deploy asks for the same image, 10,000 times over at fleet scale (README, issue 11).
const core::ImageReference& parsed_image(const std::string& text) {
  thread_local std::string last_text;
  thread_local core::ImageReference last;
  if (text != last_text || last_text.empty()) {
    last = core::parse_image_reference(text);  // throws for a bad reference: nothing remembered
    last_text = text;
  }
  return last;
}

template <typename ImageOf>
ImagesOnHost images_on_host(const std::vector<core::BotId>& bots, ImageOf image_of) {
  std::map<std::string, std::size_t> counts;
  ImagesOnHost images;
  std::size_t best = 0;
  for (auto bot : bots) {
    const auto image = image_of(bot);
    if (++counts[image] > best) {
      best = counts[image];
      images.common = image;
    }
  }
  for (auto bot : bots) {
    const auto image = image_of(bot);
    if (image != images.common && !image.empty()) {
      images.others.emplace(bot, parsed_image(image));
    }
  }
  return images;
}

}  // namespace

core::AgentCall swap_call(const core::DeployPlan& plan, const core::HostSelection& host,
                          const DroverConfig& config) {
  const auto& s = plan.settings;
  core::SwapRequest request;
  request.bots = host.bots;
  auto images = images_on_host(host.bots, [&](core::BotId bot) { return plan.image_for(bot); });
  request.image = parsed_image(images.common);
  request.bot_images = std::move(images.others);
  request.stop_timeout = std::chrono::duration_cast<std::chrono::seconds>(s.stop_timeout);
  request.settle = s.settle;
  // Drover spreads the starts itself (start slots, rollout_driver.cc): an agent that slept its
  // own jitter would already be "started" and out of reach of an operator's Ctrl-C.
  request.jitter = Duration(0);
  request.login_wait = s.login_poll ? s.login_wait : drover::Duration(0);
  request.login_probe = config.login_probe;
  request.disk_floor_mb = config.disk_floor_mb;
  request.container_template = config.container_template;
  return {core::agent_argv(request), swap_timeout(s)};
}

core::AgentCall status_call(const std::vector<core::BotId>& bots,
                            const core::ExpectedImages& expected, const DroverConfig& config) {
  core::StatusRequest request;
  request.bots = bots;
  auto images = images_on_host(bots, [&](core::BotId bot) { return expected.for_bot(bot); });
  if (!images.common.empty()) {
    request.expect_image = parsed_image(images.common);
  }
  request.bot_images = std::move(images.others);
  request.login_probe = config.login_probe;
  return {core::agent_argv(request), std::chrono::minutes(2)};
}

core::AgentCall baseline_call(const DroverConfig& config, bool fix) {
  core::BaselineRequest request;
  request.fix = fix;
  request.disk_floor_mb = config.disk_floor_mb;
  // The fleet's registry: each host checks that its own credentials are accepted there.
  if (!config.image_repository.empty()) {
    request.registry_image =
        core::parse_image_reference(config.image_repository + ":" + config.default_tag);
  }
  // --fix may prune every unused image on a nearly full disk.
  return {core::agent_argv(request), std::chrono::minutes(10)};
}

SwapHostResult read_swap_result(const core::AgentResult& result,
                                const std::vector<core::BotId>& bots) {
  if (!result.ok()) {
    return {
        core::HostOutcome::failure(core::failure_kind(result.status), first_line(result.detail)),
        {}};
  }
  try {
    const auto report = transport::read_swap_report_line(result.report_line);
    return {core::swap_outcome(report, bots), core::bot_records(report)};
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
    auto report = transport::read_status_report_line(result.report_line);
    if (report.error) {
      problem = *report.error;
    }
    return std::move(report.bots);
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
