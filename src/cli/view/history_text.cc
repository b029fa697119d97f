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
    return digest.size() < 7 + 8 ? "" : "@" + digest.substr(7, 8);
  } catch (const core::InputError&) {
    return "";
  }
}

// A deploy whose hosts all succeeded but whose verification then failed is not a success
// (`drover show` has its exit code).
std::string result_text(const core::JournalReplay& replay) {
  const auto outcome = outcome_of(replay);
  return outcome == "verification_failed" ? "verify failed" : outcome;
}

// The history table fits 100 columns: the short id (what show, --resume and rollback --to
// take), the start to the minute, and cells cut to these widths (UTF-8 code points), which
// with the fixed columns and the gaps add up to 100.
constexpr std::size_t kTargetWidth = 8;     // "staging", "bot 8101"
constexpr std::size_t kImageWidth = 14;     // "v2@3f2a9c1b": the tag, the digest's start
constexpr std::size_t kOperatorWidth = 12;  // "alice@ops-1"

std::string fit(const std::string& text, std::size_t width) {
  if (core::display_width(text) <= width) return text;
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts_point = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_point && ++points == width) break;
    out += text[i];
  }
  return out + "…";
}

// "2026-06-14T08:30:00Z" → "06-14 08:30" (UTC, like the journal).
std::string started_text(const std::string& created_at) {
  if (created_at.size() >= 16 && created_at[10] == 'T') {
    return created_at.substr(5, 5) + " " + created_at.substr(11, 5);
  }
  return printable(created_at);
}

// The tag and the start of the digest it was pinned to ("v2@3f2a9c1b"): the fleet's
// repository is the same in every row, the digest tells two deploys of a moving tag apart. A
// rollback has no one image: it says so, and which deploy it went back to.
std::string image_text(const core::DeployPlan& plan) {
  if (plan.rollback) {
    if (plan.rollback->to.empty()) return "rollback";
    return "rollback " + core::short_deploy_id(printable(plan.rollback->to));
  }
  std::string tag;
  try {
    tag = core::parse_image_reference(plan.image).tag;
  } catch (const core::InputError&) {
    tag = "?";
  }
  return printable(tag) + short_digest(plan.pinned_image);
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
  std::vector<std::vector<std::string>> rows = {
      {"DEPLOY", "STARTED UTC", "TARGET", "SPEED", "IMAGE", "OK/FAIL/ALL", "RESULT", "OPERATOR"}};
  const auto shown = std::min(max_rows, deploys.size());
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& deploy = deploys[i];
    const auto& plan = deploy.replay.plan;
    const auto tally = tally_hosts(deploy.replay);
    rows.push_back({core::short_deploy_id(printable(deploy.deploy_id)),
                    fit(started_text(plan.created_at), 11), fit(target_text(plan), kTargetWidth),
                    std::string(core::to_string(plan.speed)), fit(image_text(plan), kImageWidth),
                    fit(fmt::format("{}/{}/{}", tally.ok, tally.failed, tally.total), 11),
                    result_text(deploy.replay), fit(operator_text(deploy.origin), kOperatorWidth)});
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
