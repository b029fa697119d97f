#include "cli/view/deploy_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "cli/view/history_json.h"
#include "cli/view/html_escape.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {

namespace {

using core::DeployTimeline;
using core::TimelineOutcome;
using core::TimelineStep;

// Journal text made safe for markup: control and non-ASCII bytes shown as escapes first (a
// journal may hold anything), then HTML-escaped.
std::string text(std::string_view journal_text) {
  return html_escape(core::printable(journal_text));
}

// At most `max` characters of printable text, then "…".
std::string cut(std::string_view journal_text, std::size_t max) {
  auto shown = core::printable(journal_text);
  if (shown.size() > max) shown = shown.substr(0, max - 1) + "\u2026";
  return html_escape(shown);
}

// The SVG's geometry, in CSS pixels: the labels, the chart, the text beside each bar.
constexpr int kLabelWidth = 190;
constexpr int kChartWidth = 700;
constexpr int kNoteWidth = 290;
constexpr int kSvgWidth = kLabelWidth + kChartWidth + kNoteWidth;
constexpr int kAxisHeight = 44;
constexpr int kBarHeight = 16;
constexpr int kMaxTicks = 8;

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 16px 24px; color: #202124; background: #ffffff; }
h1 { font-size: 20px; margin: 0 0 8px 0; }
h2 { font-size: 16px; margin: 20px 0 6px 0; }
table.header { border-collapse: collapse; font-size: 13px; }
table.header th { text-align: left; padding: 2px 16px 2px 0; color: #5f6368; font-weight: normal; }
table.header td { padding: 2px 0; }
code, .ids { font-family: monospace; }
.note { font-size: 13px; color: #5f6368; margin: 4px 0; }
.legend { font-size: 13px; margin: 6px 0; padding: 0; list-style: none; }
.legend li { display: inline-block; margin-right: 16px; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
.ids { font-size: 13px; margin: 2px 0 8px 16px; word-wrap: break-word; }
ul.failures { font-size: 13px; }
svg text { font-family: sans-serif; font-size: 12px; fill: #202124; }
svg text.axis { fill: #5f6368; font-size: 11px; }
svg text.stop { fill: #a50e0e; font-weight: bold; }
)";

// Within a run every step has its outcome's colour; the steps differ in strength, the swap
// itself (or a run with no measured steps) in full.
double opacity_of(TimelineStep step) {
  switch (step) {
    case TimelineStep::agent:
      return 0.3;
    case TimelineStep::pull:
      return 0.55;
    case TimelineStep::settle:
      return 0.75;
    case TimelineStep::prune:
      return 0.4;
    case TimelineStep::login:
      return 0.6;
    case TimelineStep::waiting:
    case TimelineStep::swap:
    case TimelineStep::absent:
      return 1.0;
  }
  return 1.0;
}

std::string_view fill_of(TimelineStep step, TimelineOutcome outcome) {
  return step == TimelineStep::waiting ? kTimelineWaitColour : timeline_colour(outcome);
}

// A round step for the axis: at most kMaxTicks ticks over `span`.
Duration tick_step(Duration span) {
  static constexpr std::array<std::int64_t, 20> kSteps = {
      1,    2,    5,     10,    20,    50,    100,    200,    500,    1000,
      2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000};
  for (const auto step : kSteps) {
    if (span.count() / step <= kMaxTicks) return Duration(step);
  }
  const auto hour = std::int64_t{3600000};
  return Duration(hour * (span.count() / hour / kMaxTicks + 1));
}

class TimelineSvg {
 public:
  explicit TimelineSvg(const DeployTimeline& timeline) : timeline_(timeline) {}

  std::string render() const {
    const auto height =
        kAxisHeight + static_cast<int>(timeline_.rows.size()) * kTimelineRowHeight + 8;
    std::string svg =
        fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" )"
                    R"(viewBox="0 0 {0} {1}" shape-rendering="crispEdges" role="img">)"
                    "\n<title>timeline: one row per host</title>\n",
                    kSvgWidth, height);
    svg += axis(height);
    for (std::size_t i = 0; i < timeline_.rows.size(); ++i) svg += row(i);
    svg += stop_marker(height);
    return svg + "</svg>\n";
  }

 private:
  double x(Duration t) const {
    const auto span = static_cast<double>(timeline_.span.count());
    return kLabelWidth + kChartWidth * static_cast<double>(t.count()) / span;
  }

  std::string axis(int height) const {
    std::string out = R"(<g class="axis">)";
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#5f6368"/>)",
                       kLabelWidth, kAxisHeight - 6, kLabelWidth + kChartWidth);
    const auto step = tick_step(timeline_.span);
    for (Duration t{0}; t <= timeline_.span; t += step) {
      out +=
          fmt::format(R"(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="#eceff1"/>)"
                      R"(<text class="axis" x="{0:.1f}" y="{3}" text-anchor="middle">{4}</text>)",
                      x(t), kAxisHeight - 6, height - 8, kAxisHeight - 12,
                      t.count() == 0 ? "0" : core::timeline_time_text(t));
    }
    return out + "</g>\n";
  }

  std::string row(std::size_t index) const {
    const auto& row = timeline_.rows[index];
    const int top = kAxisHeight + static_cast<int>(index) * kTimelineRowHeight;
    const int bar_top = top + (kTimelineRowHeight - kBarHeight) / 2;
    const int baseline = top + kTimelineRowHeight / 2 + 4;
    std::string out = fmt::format(R"(<g class="host-row" data-outcome="{}">)",
                                  html_escape(core::to_string(row.outcome)));
    out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}<title>{}</title></text>)",
                       kLabelWidth - 8, baseline, cut(row.host, 26), text(row.host));
    for (const auto& segment : row.segments) {
      const double left = x(segment.begin);
      // Never thinner than a pixel: a 40 ms swap on a 10-minute axis is still there.
      const double width = std::max(1.0, x(segment.end) - left);
      const auto opacity = opacity_of(segment.step);
      out += fmt::format(
          R"(<rect class="{}" data-step="{}" x="{:.1f}" y="{}" width="{:.1f}" height="{}" )"
          R"(fill="{}"{}><title>{}: {} from {} to {}</title></rect>)",
          segment.step == TimelineStep::waiting ? "wait" : "run",
          html_escape(core::to_string(segment.step)), left, bar_top, width, kBarHeight,
          fill_of(segment.step, row.outcome),
          opacity < 1.0 ? fmt::format(R"( fill-opacity="{}")", opacity) : "", text(row.host),
          core::to_string(segment.step), core::timeline_time_text(segment.begin),
          core::timeline_time_text(segment.end));
    }
    std::string note(core::to_string(row.outcome));
    if (row.took) note = core::timeline_time_text(*row.took) + " " + note;
    if (row.attempts > 1) note += fmt::format(" ({} attempts)", row.attempts);
    std::string shown = html_escape(note);
    if (!row.reason.empty()) shown += ": " + cut(row.reason, 36);
    out += fmt::format(R"(<text x="{}" y="{}">{}</text>)", kLabelWidth + kChartWidth + 8, baseline,
                       shown);
    return out + "</g>\n";
  }

  std::string stop_marker(int height) const {
    if (!timeline_.stop || !timeline_.stop->at) return "";
    const double at = x(*timeline_.stop->at);
    const auto label = fmt::format(
        "{} at {}",
        timeline_.stop->status == core::RolloutStatus::halted ? "error halt" : "interrupted",
        core::timeline_time_text(*timeline_.stop->at));
    // The label sits left of the line when the line is in the chart's right half.
    const bool left = at > kLabelWidth + kChartWidth / 2.0;
    return fmt::format(
        R"(<g class="stop-marker"><line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" )"
        R"(stroke="#a50e0e" stroke-width="2" stroke-dasharray="5,3"/>)"
        R"(<text class="stop" x="{3:.1f}" y="{4}" text-anchor="{5}">{6}</text></g>)"
        "\n",
        at, kAxisHeight - 30, height - 4, left ? at - 4 : at + 4, kAxisHeight - 30 + 10,
        left ? "end" : "start", html_escape(label));
  }

  const DeployTimeline& timeline_;
};

std::string image_cell(const core::DeployPlan& plan) {
  if (plan.rollback) {
    return plan.rollback->to.empty()
               ? "rollback to what each bot ran before"
               : "rollback to deploy <code>" + text(plan.rollback->to) + "</code>";
  }
  std::string shown = "<code>" + text(plan.image) + "</code>";
  try {
    const auto tag = core::parse_image_reference(plan.image).tag;
    const auto digest = core::parse_image_reference(plan.pinned_image).digest;
    shown = "<code>" + text(tag) + "@" + text(digest) + "</code> (" + shown + ")";
  } catch (const core::InputError&) {
    if (!plan.pinned_image.empty())
      shown += " pinned to <code>" + text(plan.pinned_image) + "</code>";
  }
  return shown;
}

std::string header(const StoredDeploy& deploy) {
  const auto& plan = deploy.replay.plan;
  std::string target(core::to_string(plan.selection.target.kind));
  if (plan.selection.target.bot) target += fmt::format(" {}", *plan.selection.target.bot);
  std::vector<std::pair<std::string, std::string>> rows = {
      {"deploy id", "<code>" + text(deploy.deploy_id) + "</code>"},
      {"fleet", text(plan.fleet)},
      {"target", text(target)},
      {"speed", text(core::to_string(plan.speed))},
      {"image", image_cell(plan)},
      {"operator", deploy.origin.operator_name.empty() ? "unknown (no origin recorded)"
                                                       : text(deploy.origin.operator_name)},
  };
  if (!deploy.origin.command.empty()) {
    rows.emplace_back("command", "<code>" + text(deploy.origin.command) + "</code>");
  }
  rows.emplace_back("started", text(plan.created_at));
  rows.emplace_back("result", text(outcome_of(deploy.replay)));
  if (const auto& result = deploy.replay.result) {
    rows.emplace_back("exit code", fmt::format("{}", core::to_int(result->exit_code)));
    rows.emplace_back("finished", text(result->finished_at));
  } else {
    rows.emplace_back("exit code", "none recorded (drover stopped before the end, or still runs)");
  }
  std::string out = R"(<table class="header">)";
  for (const auto& [name, value] : rows) {
    out += "<tr><th>" + html_escape(name) + "</th><td>" + value + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string legend() {
  std::string out = R"(<ul class="legend">)";
  out += fmt::format(R"(<li><span class="swatch" style="background: {}"></span>waiting for its )"
                     "start (slot or window)</li>",
                     kTimelineWaitColour);
  for (const auto outcome : {TimelineOutcome::ok, TimelineOutcome::failed,
                             TimelineOutcome::rolled_back, TimelineOutcome::not_started,
                             TimelineOutcome::not_waited_for, TimelineOutcome::no_record}) {
    out += fmt::format(R"(<li><span class="swatch" style="background: {}"></span>{}</li>)",
                       timeline_colour(outcome), html_escape(core::to_string(outcome)));
  }
  return out + "</ul>\n";
}

std::string notes(const DeployTimeline& timeline) {
  std::vector<std::string> lines;
  if (!timeline.start_times_recorded) {
    lines.emplace_back(
        "start times not recorded (a journal written before drover kept them): every host is "
        "drawn from 0, in plan order, with its duration");
  }
  if (timeline.resumed) {
    lines.emplace_back(
        "resumed: each row is the host's latest attempt, timed from the start of the run of "
        "drover that made it");
  }
  if (timeline.stop && !timeline.stop->at) {
    lines.emplace_back(timeline.stop->status == core::RolloutStatus::halted
                           ? "the error halt stopped new starts; when was not recorded"
                           : "the operator interrupted; when was not recorded");
  }
  lines.emplace_back(
      timeline.step_times_recorded
          ? "within a run, from faint to full: agent and transport (what no step accounts for), "
            "pull, prune, login, settle, swap (create, stop, start); each step is its slowest "
            "bot's, since a host's bots swap in parallel"
          : "a host's run is its agent's whole swap (pull, swap, settle, login), as drover timed "
            "it; this journal has no per-step times");
  std::string out;
  for (const auto& line : lines) out += R"(<p class="note">)" + html_escape(line) + "</p>\n";
  return out;
}

std::string failures(const DeployTimeline& timeline) {
  std::string out;
  for (const auto& row : timeline.rows) {
    if (row.reason.empty()) continue;
    out += "<li><code>" + text(row.host) + "</code> " + html_escape(core::to_string(row.outcome)) +
           ": " + text(row.reason) + "</li>\n";
  }
  return out.empty() ? "" : "<h2>Failures</h2>\n<ul class=\"failures\">\n" + out + "</ul>\n";
}

std::string bot_ids(const std::vector<core::BotId>& bots) {
  if (bots.empty()) return "none";
  std::string out;
  for (const auto bot : bots) out += fmt::format("{}{}", out.empty() ? "" : " ", bot);
  return out;
}

std::string id_list(std::string_view label, const std::vector<core::BotId>& bots) {
  return fmt::format(R"(<p class="note">{} ({})</p><p class="ids">{}</p>)", html_escape(label),
                     bots.size(), bot_ids(bots)) +
         "\n";
}

std::string verification(const core::JournalReplay& replay) {
  std::string out = "<h2>Verification</h2>\n";
  if (!replay.verification) return out + R"(<p class="note">none recorded</p>)" + "\n";
  const auto& report = replay.verification->report;
  out += fmt::format(R"(<p class="note">{} bot(s) checked</p>)", report.total) + "\n";
  out += id_list("on the target image", report.on_version);
  out += id_list("not on it: stale (running another image)", report.stale);
  out += id_list("not on it: down", report.down);
  if (!report.down_reasons.empty()) {
    out += "<ul class=\"failures\">\n";
    for (const auto& [bot, reason] : report.down_reasons) {
      out += fmt::format("<li>bot {}: {}</li>\n", bot, text(reason));
    }
    out += "</ul>\n";
  }
  out += id_list("not on it: unanswered (its host did not answer)", report.unanswered);
  out += id_list("logged in", report.logged_in);
  out += id_list("stragglers (not logged in when checked)", report.not_logged_in);
  if (const auto& retry = replay.verification->retry) {
    out += id_list("stragglers that logged in during the straggler wait",
                   retry->logged_in_during_wait);
    out += id_list("stragglers still not logged in", retry->still_not_logged_in);
  }
  return out;
}

}  // namespace

std::string_view timeline_colour(TimelineOutcome outcome) {
  switch (outcome) {
    case TimelineOutcome::ok:
      return "#1e8e3e";
    case TimelineOutcome::failed:
      return "#d93025";
    case TimelineOutcome::rolled_back:
      return "#f29900";
    case TimelineOutcome::not_started:
      return "#80868b";
    case TimelineOutcome::not_waited_for:
      return "#8430ce";
    case TimelineOutcome::no_record:
      return "#bdc1c6";
  }
  return "#000000";
}

std::string render_deploy_html(const StoredDeploy& deploy) {
  const auto& plan = deploy.replay.plan;
  const auto timeline = core::deploy_timeline(deploy.replay);
  const std::string kind = plan.is_rollback() ? "rollback" : "deploy";
  std::string page =
      "<!DOCTYPE html>\n"
      R"(<html xmlns="http://www.w3.org/1999/xhtml" lang="en">)"
      "\n<head>\n"
      R"(<meta charset="utf-8"/>)"
      "\n<title>drover " +
      kind + " " + text(deploy.deploy_id) + "</title>\n<style>" + std::string(kStyle) +
      "</style>\n</head>\n<body>\n";
  page += "<h1>drover " + kind + " <code>" + text(deploy.deploy_id) + "</code></h1>\n";
  page += header(deploy);
  page += fmt::format("<h2>Timeline ({} host(s), {})</h2>\n", timeline.rows.size(),
                      core::timeline_time_text(timeline.span));
  page += notes(timeline);
  page += legend();
  page += TimelineSvg(timeline).render();
  page += failures(timeline);
  page += verification(deploy.replay);
  return page + "</body>\n</html>\n";
}

}  // namespace drover::cli
