#include "core/plan_box.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "core/agent_drift.h"
#include "core/duration_estimate.h"
#include "core/printable_text.h"
#include "core/rollback_choice.h"
#include "core/speed_table.h"
#include "core/start_slots.h"
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
  const auto window = speed.concurrency.window(hosts);
  if (window < speed.concurrency.count()) {
    // A speed's count is a ceiling: a 4-host selection never runs 5 hosts at a time.
    return fmt::format(
        "{} host(s) at a time, every selected host (~{} simultaneous Steam "
        "logins; the speed allows {})",
        window, logins, speed.concurrency.count());
  }
  return fmt::format("{} host(s) at a time (~{} simultaneous Steam logins)", window, logins);
}

std::string hosts_phrase(const std::vector<HostName>& hosts) {
  return fmt::format("{} host{} ({})", hosts.size(), hosts.size() == 1 ? "" : "s",
                     host_list(hosts));
}

// The drift preflight's rows: how many hosts run this drover's agent, then every exception.
void add_preflight_rows(const AgentPreflight& p, std::vector<std::vector<std::string>>& rows) {
  const auto current = p.hosts - p.drifted.size() - p.missing.size() - p.unreachable.size();
  rows.push_back({"Agents", fmt::format("{}/{} host(s) run this drover's build (sha256 {})",
                                        current, p.hosts, short_sha256(p.expected_sha256))});
  const char* verdict = p.drift_allowed ? "allowed for " : "";
  const char* refused = p.drift_allowed ? "" : ": deploy refused";
  if (!p.drifted.empty()) {
    rows.push_back(
        {"Agent drift", fmt::format("{}{}{}", verdict, hosts_phrase(p.drifted), refused)});
  }
  if (!p.missing.empty()) {
    rows.push_back({"No agent", fmt::format("{}{}{}", verdict, hosts_phrase(p.missing),
                                            p.drift_allowed ? ": they will fail" : refused)});
  }
  if (!p.unreachable.empty()) {
    rows.push_back({"Unreachable", fmt::format("{} did not answer: they will fail and count "
                                               "against the error halt",
                                               hosts_phrase(p.unreachable))});
  }
}

std::string bots_phrase(std::size_t count) {
  return fmt::format("{} bot{}", count, count == 1 ? "" : "s");
}

std::string short_ids(const std::vector<std::string>& deploy_ids) {
  std::vector<std::string> out;
  for (const auto& id : deploy_ids) out.push_back(short_deploy_id(printable(id)));
  return fmt::format("{}", fmt::join(out, ", "));
}

// Where the bots go back to, who stays, and who cannot go (every one named).
void add_rollback_rows(const RollbackSpec& spec, std::vector<std::vector<std::string>>& rows) {
  const char* label = "Back to";
  for (const auto& group : digest_groups(spec)) {
    const auto why = !spec.to.empty()
                         ? fmt::format("what {} installed", short_deploy_id(printable(spec.to)))
                         : fmt::format("undoing deploy {}", short_ids(group.undoes));
    rows.push_back({label, fmt::format("{}  {} ({})", printable(group.image),
                                       bots_phrase(group.bots.size()), why)});
    label = "";
  }
  label = "Left alone";
  for (const auto& group : spec.left_alone) {
    rows.push_back(
        {label, fmt::format("{}: {}", bots_phrase(group.bots.size()), printable(group.reason))});
    label = "";
  }
  label = "Skipped";
  for (const auto& bot : spec.skipped) {
    rows.push_back({label, fmt::format("{}: {}", bot_name(bot.bot), printable(bot.reason))});
    label = "";
  }
}

// When the last host's start slot comes (the slots in plan order; the real order is drawn
// when the rollout starts, which moves this only by the bot counts' differences).
Duration last_start(const DeployPlan& plan) {
  std::vector<std::size_t> bots;
  for (const auto& host : plan.selection.hosts) bots.push_back(host.bots.size());
  const auto offsets = start_offsets(bots, plan.settings.jitter, plan.settings.login_rate);
  return offsets.empty() ? Duration(0) : offsets.back();
}

// Storm control (start_slots.h): how the starts are spread, and the login cap.
void add_storm_rows(const DeployPlan& plan, std::vector<std::vector<std::string>>& rows) {
  const SpeedSettings& speed = plan.settings;
  const auto hosts = plan.selection.hosts.size();
  if (speed.jitter.count() > 0 && hosts > 0) {
    const double every =
        static_cast<double>(speed.jitter.count()) / 1000.0 / static_cast<double>(hosts);
    rows.push_back(
        {"Storm spread", fmt::format("{} host{} over {}, one every {:.2f}s, random order", hosts,
                                     hosts == 1 ? "" : "s", format_seconds(speed.jitter), every)});
  }
  if (speed.login_rate) {
    rows.push_back({"Login rate", fmt::format("at most {} bot{} start per second (last host "
                                              "starts at ~{})",
                                              *speed.login_rate, *speed.login_rate == 1 ? "" : "s",
                                              format_seconds(last_start(plan)))});
  }
}

// Simulated from the fleet's history when there is one at this speed (history_estimate.h), else
// the guide's table; the row says which.
std::string estimate_row(const DeployPlan& plan) {
  if (plan.measured_estimate) return format_measured(*plan.measured_estimate);
  return format_estimate(
             estimate_duration(plan.settings, plan.selection.hosts.size(), last_start(plan))) +
         " (guide's estimate, no history)";
}

}  // namespace

std::string render_plan_box(const DeployPlan& plan) {
  const SpeedSettings& speed = plan.settings;
  const auto hosts = plan.selection.hosts.size();
  std::vector<std::vector<std::string>> rows = {
      {"Target", describe_target(plan.selection)},
      {"Hosts",
       plan.is_rollback() && plan.selection.target.kind != TargetKind::bot
           ? fmt::format("{} ({} going back)", hosts, bots_phrase(plan.selection.bot_count()))
           : hosts_row(plan.selection)},
      {"Speed", std::string(to_string(plan.speed))},
      {"Concurrency", concurrency_row(speed, plan.selection)},
      {"Graceful stop", format_seconds(speed.stop_timeout)},
      {"Error halt", format_halt(speed.halt)},
      {"Est. duration", estimate_row(plan)},
  };
  add_storm_rows(plan, rows);
  if (!speed.login_poll) {
    rows.push_back(
        {"Login poll", fmt::format("skipped ({} settle only)", format_seconds(speed.settle))});
  }
  if (plan.rollback) {
    add_rollback_rows(*plan.rollback, rows);
  } else {
    rows.push_back({"Image", plan.image});
    rows.push_back({"Digest", plan.pinned_image.empty() ? "(resolved before the first host starts)"
                                                        : plan.pinned_image});
  }
  if (plan.agent_preflight) add_preflight_rows(*plan.agent_preflight, rows);

  std::string out = plan.rollback ? "=============== rollback plan ===============\n"
                                  : "================ deploy plan ================\n";
  out += render_columns(rows, "", 1);
  out += "=============================================\n";
  if (plan.speed == SpeedName::immediate) {
    // The guide's warning, in its words: what the storm does, not just that there is one.
    out += fmt::format(
        "WARNING: immediate restarts all ~{} bots at once: the whole fleet re-authenticates to "
        "Steam and reconnects to Redis simultaneously, a login storm and a Redis connection "
        "storm.\n"
        "         Steam rate-limits the logins; Redis can refuse or time out the flood of new "
        "connections; bots can crash-loop while the storm clears.\n"
        "         Use it only for a genuine emergency.\n",
        plan.selection.bot_count());
  }
  return out;
}

}  // namespace drover::core
