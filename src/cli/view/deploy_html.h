#pragma once
// `drover show ID --html FILE`: a picture of one deploy as a single self-contained page (inline
// CSS and SVG; no script, no font, image or anything else fetched), made from the deploy read
// back from its journal. Pure: records in, markup out; the command writes the file.
//
// The page, top to bottom:
//   - the header: id, fleet, target, speed, image (tag@digest), operator, command, started,
//     result, exit code, finished;
//   - the timeline (core/deploy_timeline.h): a time axis and one row per planned host, its wait
//     before starting in light grey and its run coloured by outcome (ok, failed, rolled back,
//     not started, not waited for, no record), its duration and failure reason beside it; the
//     error halt or the operator's interrupt as a labelled vertical line; notes for what the
//     journal could not tell (start times of older journals, a resumed deploy's runs);
//   - the failures with their whole reasons;
//   - the verification: bots on the target image, not on it (stale, down with reasons,
//     unanswered), logged in, the stragglers and the straggler retry, each with its bot ids.
// Every text from the journal goes through core::printable and html_escape. The markup is also
// well-formed XML (XHTML), which the tests parse.
//
// Drawing: the SVG's rows are <g class="host-row"> in plan order, kTimelineRowHeight apart; a
// run's fill is its outcome's colour (timeline_colour), crisp-edged, so a screenshot shows the
// exact colour inside each bar.
#include <string>
#include <string_view>

#include "cli/state/stored_deploy.h"
#include "core/deploy_timeline.h"

namespace drover::cli {

inline constexpr int kTimelineRowHeight = 24;

/// The fill of a run with this outcome, "#rrggbb".
std::string_view timeline_colour(core::TimelineOutcome outcome);
/// The fill of a host's wait before its start.
inline constexpr std::string_view kTimelineWaitColour = "#dadfe5";

std::string render_deploy_html(const StoredDeploy& deploy);

}  // namespace drover::cli
