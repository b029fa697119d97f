#include "core/deploy_notification.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/deploy_outcome.h"
#include "core/journal_record.h"
#include "core/name_table.h"
#include "core/printable_text.h"
#include "core/rollback_choice.h"

namespace drover::core {
namespace {

using nlohmann::json;

constexpr NameTable<DeployEventKind, 4> kEventNames{{
    {DeployEventKind::started, "started"},
    {DeployEventKind::halted, "halted"},
    {DeployEventKind::interrupted, "interrupted"},
    {DeployEventKind::finished, "finished"},
}};
static_assert(covers_every_value(kEventNames));

// A chat message stays readable: a long list of failed hosts is cut (`drover show` has them).
constexpr std::size_t kMaxFailuresListed = 20;

std::string kind_word(const DeployPlan& plan) {
  return plan.is_rollback() ? "rollback" : "deploy";
}

std::string bot_list(std::vector<BotId> bots) {
  std::vector<std::string> names;
  for (auto bot : bots) names.push_back(bot_name(bot));
  std::sort(names.begin(), names.end());  // as the verification report lists them
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : " ") + name;
  return out;
}

std::string counted(const char* label, const std::vector<BotId>& bots) {
  if (bots.empty()) return fmt::format("{}: 0", label);
  return fmt::format("{}: {} -> {}", label, bots.size(), bot_list(bots));
}

std::string down_list(const VerificationReport& report) {
  if (report.down.empty()) return "down: 0";
  std::string out = fmt::format("down: {} ->", report.down.size());
  for (auto bot : report.down) {
    const auto reason = report.down_reasons.find(bot);
    out += " " + bot_name(bot);
    if (reason != report.down_reasons.end()) out += " (" + printable(reason->second) + ")";
  }
  return out;
}

// Bots still not logged in: after the straggler retry, only those it did not see log in.
std::vector<BotId> not_logged_in(const DeployEvent& event) {
  if (event.retry) return event.retry->still_not_logged_in;
  return event.verification ? event.verification->not_logged_in : std::vector<BotId>{};
}

std::string outcome_words(const DeployEvent& event) {
  if (!event.result || !event.exit_code) return "finished";
  const auto code = to_int(*event.exit_code);
  switch (deploy_outcome(*event.result, *event.exit_code)) {
    case DeployOutcome::success:
      return "finished: success";
    case DeployOutcome::verification_failed:
      return fmt::format("finished: VERIFICATION FAILED (exit {})", code);
    case DeployOutcome::failed:
      return fmt::format("finished: FAILED (exit {})", code);
    case DeployOutcome::halted:
      return fmt::format("finished: HALTED (exit {})", code);
    case DeployOutcome::interrupted:
      return fmt::format("finished: INTERRUPTED (exit {})", code);
  }
  return "finished";
}

std::string headline(const DeployEvent& event) {
  const auto& plan = *event.plan;
  std::string what;
  switch (event.kind) {
    case DeployEventKind::started:
      what = event.resumed ? "resumed" : "started";
      break;
    case DeployEventKind::halted:
      what = "HALTED by the error halt";
      break;
    case DeployEventKind::interrupted:
      what = "INTERRUPTED by the operator";
      break;
    case DeployEventKind::finished:
      what = outcome_words(event);
      break;
  }
  return fmt::format("drover {} {} {} · fleet {} · {}", kind_word(plan),
                     short_deploy_id(plan.deploy_id), what, plan.fleet,
                     event.operator_name.empty() ? "?" : event.operator_name);
}

std::string image_line(const DeployPlan& plan) {
  if (!plan.rollback) return fmt::format("image {} ({})", plan.image, plan.pinned_image);
  std::string out = "back to";
  const char* separator = " ";
  for (const auto& group : digest_groups(*plan.rollback)) {
    out += fmt::format("{}{} ({} bot{})", separator, group.image, group.bots.size(),
                       group.bots.size() == 1 ? "" : "s");
    separator = ", ";
  }
  if (!plan.rollback->to.empty()) {
    out += fmt::format(": what {} installed", short_deploy_id(plan.rollback->to));
  }
  return out;
}

std::vector<std::string> text_lines(const DeployEvent& event) {
  const auto& plan = *event.plan;
  std::vector<std::string> lines = {
      headline(event), image_line(plan),
      fmt::format("speed {} · {} · {} host(s), {} bot(s)", to_string(plan.speed),
                  describe_target(plan.selection), plan.selection.hosts.size(),
                  plan.selection.bot_count())};
  if (plan.rollback) {
    for (const auto& skipped : plan.rollback->skipped) {
      lines.push_back(
          fmt::format("skipped {}: {}", bot_name(skipped.bot), printable(skipped.reason)));
    }
  }
  if (event.progress &&
      (event.kind == DeployEventKind::halted || event.kind == DeployEventKind::interrupted)) {
    lines.push_back(
        fmt::format("{}/{} hosts done, {} failed; no new host starts, the {} in flight finish",
                    event.progress->finished, event.progress->total, event.progress->failed,
                    event.progress->in_flight));
  }
  if (event.result) {
    const auto& r = *event.result;
    lines.push_back(fmt::format("hosts: {}/{} ok, {} failed, {} not started", r.succeeded, r.total,
                                r.failed, r.not_started.size()));
    for (std::size_t i = 0; i < r.failures.size() && i < kMaxFailuresListed; ++i) {
      lines.push_back(fmt::format("failed {}: {}", r.failures[i].host,
                                  printable(r.failures[i].outcome.reason)));
    }
    if (r.failures.size() > kMaxFailuresListed) {
      lines.push_back(fmt::format("… and {} more failed host(s) (drover show {})",
                                  r.failures.size() - kMaxFailuresListed, plan.deploy_id));
    }
  }
  if (event.verification) {
    const auto& v = *event.verification;
    lines.push_back(fmt::format("verification: {}/{} on version, {}/{} logged in",
                                v.on_version.size(), v.total, v.logged_in.size(), v.total));
    lines.push_back(counted("stale (old image)", v.stale) + " · " + down_list(v) + " · " +
                    counted("not logged in", not_logged_in(event)));
    if (!v.unanswered.empty()) lines.push_back(counted("no answer (host)", v.unanswered));
  }
  return lines;
}

// Slack reads &, < and > as markup (links, mentions): escaped as its docs ask.
std::string slack_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json progress_json(const RolloutProgress& p) {
  return {{"total", p.total},
          {"finished", p.finished},
          {"failed", p.failed},
          {"in_flight", p.in_flight},
          {"elapsed_ms", p.elapsed.count()}};
}

template <typename T, typename ToJson>
json optional_json(const std::optional<T>& value, ToJson to_json) {
  return value ? to_json(*value) : json(nullptr);
}

}  // namespace

std::string_view to_string(DeployEventKind kind) {
  return name_of(kEventNames, kind);
}

std::string slack_text(const DeployEvent& event) {
  std::string text;
  for (const auto& line : text_lines(event)) {
    text += (text.empty() ? "" : "\n") + slack_escaped(line);
  }
  return text;
}

json slack_message(const DeployEvent& event) {
  return {{"text", slack_text(event)}};
}

json notification_document(const DeployEvent& event) {
  const auto& plan = *event.plan;
  const auto& target = plan.selection.target;
  json outcome = nullptr;
  if (event.result && event.exit_code) {
    outcome = to_string(deploy_outcome(*event.result, *event.exit_code));
  }
  json not_logged = nullptr;
  if (event.verification) not_logged = not_logged_in(event);
  return {
      {"event", to_string(event.kind)},
      {"kind", kind_word(plan)},
      {"deploy_id", plan.deploy_id},
      {"fleet", plan.fleet},
      {"operator", event.operator_name},
      {"at", event.at},
      {"resumed", event.resumed},
      {"target",
       {{"kind", to_string(target.kind)}, {"bot", target.bot ? json(*target.bot) : json(nullptr)}}},
      {"speed", to_string(plan.speed)},
      {"hosts", plan.selection.hosts.size()},
      {"bots", plan.selection.bot_count()},
      {"image", plan.image},
      {"pinned_image", plan.pinned_image},
      {"rollback", optional_json(plan.rollback, rollback_to_json)},
      {"progress", optional_json(event.progress, progress_json)},
      {"result", optional_json(event.result, result_to_json)},
      {"exit_code", event.exit_code ? json(to_int(*event.exit_code)) : json(nullptr)},
      {"outcome", outcome},
      {"verification", optional_json(event.verification, verification_to_json)},
      {"retry", optional_json(event.retry, retry_to_json)},
      {"not_logged_in", not_logged},
  };
}

}  // namespace drover::core
