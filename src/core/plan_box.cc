#include "core/plan_box.h"

#include <fmt/format.h>

#include <vector>

#include "core/duration_estimate.h"
#include "core/speed_table.h"
#include "core/text_columns.h"

namespace drover::core {

namespace {

std::string hosts_row(const Selection& selection) {
  if (selection.target.kind == TargetKind::bot) {
    return fmt::format("{} ({} only)", selection.hosts.size(),
                       bot_name(selection.target.bot.value_or(0)));
  }
  return fmt::format("{} (~{} bots)", selection.hosts.size(), selection.bot_count());
}

std::string concurrency_row(const SpeedSettings& speed, const Selection& selection) {
  const auto hosts = selection.hosts.size();
  const auto logins = simultaneous_logins(speed, hosts, selection.bot_count());
  if (speed.concurrency.is_all()) {
    return fmt::format("ALL {} host(s) at once (~{} simultaneous Steam logins)", hosts, logins);
  }
  return fmt::format("{} host(s) at a time (~{} simultaneous Steam logins)",
                     speed.concurrency.count(), logins);
}

}  // namespace

std::string render_plan_box(const DeployPlan& plan) {
  const SpeedSettings& speed = plan.settings;
  const auto hosts = plan.selection.hosts.size();
  std::vector<std::vector<std::string>> rows = {
      {"Target", describe_target(plan.selection)},
      {"Hosts", hosts_row(plan.selection)},
      {"Speed", std::string(to_string(plan.speed))},
      {"Concurrency", concurrency_row(speed, plan.selection)},
      {"Graceful stop", format_seconds(speed.stop_timeout)},
      {"Error halt", format_halt(speed.halt)},
      {"Est. duration", format_estimate(estimate_duration(speed, hosts))},
  };
  if (speed.jitter.count() > 0) {
    rows.push_back({"Storm jitter", fmt::format("each host waits a random 0-{} first",
                                                format_seconds(speed.jitter))});
  }
  if (!speed.login_poll) {
    rows.push_back(
        {"Login poll", fmt::format("skipped ({} settle only)", format_seconds(speed.settle))});
  }
  rows.push_back({"Image", plan.image});
  rows.push_back({"Digest", plan.pinned_image.empty() ? "(resolved before the first host starts)"
                                                      : plan.pinned_image});

  std::string out = "================ deploy plan ================\n";
  out += render_columns(rows, "", 1);
  out += "=============================================\n";
  if (plan.speed == SpeedName::immediate) {
    out += fmt::format(
        "WARNING: immediate restarts all ~{} bots at once: a Steam login storm and a Redis "
        "connection storm. Use it only in an emergency.\n",
        plan.selection.bot_count());
  }
  return out;
}

}  // namespace drover::core
