#include "cli/view/history_text.h"

#include <fmt/format.h>

#include <map>

#include "cli/view/history_json.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "core/plan_box.h"
#include "core/printable_text.h"
#include "core/rollback_choice.h"
#include "core/rollout_text.h"
#include "core/straggler_retry.h"
#include "core/text_columns.h"
#include "core/verification_text.h"

namespace drover::cli {

namespace {

using core::printable;

std::string target_text(const core::DeployPlan& plan) {
  std::string text(core::to_string(plan.selection.target.kind));
  if (plan.selection.target.bot) text += fmt::format(" {}", *plan.selection.target.bot);
  return text;
}

// The digest is what tells two deploys of a moving tag apart, but 64 hex digits would push
// the table past any terminal; 12 are as many as `docker images` shows. A journal is a file
// anyone could have edited: a pinned image that is no reference shows as none.
std::string short_digest(const std::string& pinned) {
  try {
    const auto digest = core::parse_image_reference(pinned).digest;
    return digest.empty() ? "-" : digest.substr(0, 7 + 12);
  } catch (const core::InputError&) {
    return "-";
  }
}

// A deploy whose hosts all succeeded but whose verification then failed is not a success.
std::string result_text(const core::JournalReplay& replay) {
  const auto outcome = outcome_of(replay);
  if (outcome != "verification_failed") return outcome;
  return fmt::format("verify failed (exit {})", core::to_int(replay.result->exit_code));
}

// A rollback has no one image: it says so, and shows its digest when all bots go to one.
std::string image_text(const core::DeployPlan& plan) {
  if (!plan.rollback) return printable(plan.image);
  if (plan.rollback->to.empty()) return "(rollback)";
  return "(rollback --to " + core::short_deploy_id(printable(plan.rollback->to)) + ")";
}

std::string digest_text(const core::DeployPlan& plan) {
  if (!plan.rollback) return short_digest(plan.pinned_image);
  const auto groups = core::digest_groups(*plan.rollback);
  if (groups.size() == 1) return short_digest(groups.front().image);
  return fmt::format("{} digests", groups.size());
}

std::string operator_text(const DeployOrigin& origin) {
  return origin.operator_name.empty() ? "?" : printable(origin.operator_name);
}

std::string seconds_text(Duration took) {
  return fmt::format("{}s", (took.count() + 500) / 1000);
}

struct HostHistory {
  const core::HostRecord* latest = nullptr;
  std::size_t attempts = 0;
};

std::map<core::HostName, HostHistory> host_histories(const core::JournalReplay& replay) {
  std::map<core::HostName, HostHistory> histories;
  for (const auto& record : replay.hosts) {
    auto& history = histories[record.host];
    history.latest = &record;
    ++history.attempts;
  }
  return histories;
}

std::string render_hosts(const core::JournalReplay& replay) {
  const auto tally = tally_hosts(replay);
  std::string text = fmt::format("hosts: {} ok, {} failed, {} not finished (of {})\n", tally.ok,
                                 tally.failed, tally.not_finished, tally.total);
  const auto histories = host_histories(replay);
  std::vector<std::vector<std::string>> rows;
  for (const auto& host : replay.plan.selection.hosts) {
    const auto found = histories.find(host.name);
    if (found == histories.end()) {
      rows.push_back({printable(host.name), "not finished", "", ""});
      continue;
    }
    const auto& record = *found->second.latest;
    std::string status = record.outcome.ok() ? "ok" : "FAILED";
    if (found->second.attempts > 1) status += fmt::format(" ({} attempts)", found->second.attempts);
    std::string reason = printable(record.outcome.reason);
    if (!record.outcome.ok()) {
      reason = fmt::format("{}: {}", core::to_string(record.outcome.kind), reason);
    }
    rows.push_back({printable(host.name), status, seconds_text(record.took), reason});
  }
  // Trailing empty cells would leave trailing spaces; trim the rows that have them.
  auto lines = core::render_columns(rows, "  ", 2);
  std::string trimmed;
  std::size_t start = 0;
  while (start < lines.size()) {
    auto end = lines.find('\n', start);
    auto line = lines.substr(start, end - start);
    line.erase(line.find_last_not_of(' ') + 1);
    trimmed += line + "\n";
    start = end + 1;
  }
  return text + trimmed;
}

// Where each bot's swap spent its time, from the latest record of each host whose agent
// measured it (older agents and journals did not: those hosts are left out, and the section
// too when none did).
std::string render_step_durations(const core::JournalReplay& replay) {
  const auto histories = host_histories(replay);
  std::vector<std::vector<std::string>> rows = {{"HOST", "BOT", "PULL", "CREATE", "STOP", "START",
                                                 "SETTLE", "CLEANUP", "PRUNE", "LOGIN",
                                                 "DOWNTIME"}};
  for (const auto& host : replay.plan.selection.hosts) {
    const auto found = histories.find(host.name);
    if (found == histories.end()) continue;
    for (const auto& bot : found->second.latest->bots) {
      const auto& t = bot.timings;
      rows.push_back({printable(host.name), fmt::format("{}", bot.bot)});
      for (auto ms : {t.pull_ms, t.create_ms, t.stop_ms, t.start_ms, t.settle_ms, t.cleanup_ms,
                      t.prune_ms, t.login_ms, t.downtime_ms}) {
        rows.back().push_back(fmt::format("{}", ms));
      }
    }
  }
  if (rows.size() == 1) return "";
  return "step durations per bot (ms; pull, prune and login are the host's):\n" +
         core::render_columns(rows, "  ", 2);
}

std::string render_ending(const StoredDeploy& deploy) {
  const auto& replay = deploy.replay;
  if (!replay.result) {
    const auto remaining = replay.hosts_to_resume().size();
    return fmt::format(
        "--- no result recorded: drover stopped before the end, or is still running\n"
        "    `drover deploy --resume {}` deploys the {} host(s) not done\n",
        printable(deploy.deploy_id), remaining);
  }
  const auto& ending = *replay.result;
  return core::render_result(ending.result) + fmt::format("finished {}, exit code {}\n",
                                                          printable(ending.finished_at),
                                                          core::to_int(ending.exit_code));
}

std::string render_verification(const core::JournalReplay& replay) {
  if (!replay.verification) return "verification: none recorded\n";
  std::string text = core::render_verification_report(replay.verification->report);
  if (replay.verification->retry) {
    text += core::render_straggler_result(*replay.verification->retry);
  }
  return text;
}

}  // namespace

HostTally tally_hosts(const core::JournalReplay& replay) {
  const auto histories = host_histories(replay);
  HostTally tally;
  for (const auto& host : replay.plan.selection.hosts) {
    ++tally.total;
    const auto found = histories.find(host.name);
    if (found == histories.end()) {
      ++tally.not_finished;
    } else if (found->second.latest->outcome.ok()) {
      ++tally.ok;
    } else {
      ++tally.failed;
    }
  }
  return tally;
}

std::string render_history_table(const std::vector<StoredDeploy>& deploys, std::size_t max_rows) {
  if (deploys.empty()) return "no deploys recorded for this fleet yet\n";
  std::vector<std::vector<std::string>> rows = {{"DEPLOY ID", "STARTED", "TARGET", "SPEED", "IMAGE",
                                                 "DIGEST", "HOSTS ok/failed/total", "RESULT",
                                                 "OPERATOR"}};
  const auto shown = std::min(max_rows, deploys.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& deploy = deploys[i];
    const auto& plan = deploy.replay.plan;
    const auto tally = tally_hosts(deploy.replay);
    rows.push_back({printable(deploy.deploy_id), printable(plan.created_at), target_text(plan),
                    std::string(core::to_string(plan.speed)), image_text(plan), digest_text(plan),
                    fmt::format("{}/{}/{}", tally.ok, tally.failed, tally.total),
                    result_text(deploy.replay), operator_text(deploy.origin)});
  }
  auto text = core::render_columns(rows, "", 2);
  if (shown < deploys.size()) {
    text += fmt::format("… {} older deploy(s) not shown\n", deploys.size() - shown);
  }
  return text;
}

std::string render_deploy_details(const StoredDeploy& deploy) {
  const auto& plan = deploy.replay.plan;
  std::vector<std::vector<std::string>> head = {
      {"fleet", printable(plan.fleet)},
      {"started",
       fmt::format("{} by {}", printable(plan.created_at), operator_text(deploy.origin))},
  };
  if (!deploy.origin.command.empty()) head.push_back({"command", printable(deploy.origin.command)});
  std::string text = fmt::format("{} {}\n", plan.is_rollback() ? "rollback" : "deploy",
                                 printable(deploy.deploy_id));
  text += core::render_columns(head, "  ", 2);
  text += core::render_plan_box(plan);
  text += render_hosts(deploy.replay);
  text += render_step_durations(deploy.replay);
  text += render_ending(deploy);
  text += render_verification(deploy.replay);
  return text;
}

}  // namespace drover::cli
