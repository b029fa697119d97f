#pragma once
// The rollout's live lines (guide, example c):
//
//   command: 6ca32b16-367e-4372-8a33-6dd9442ed2c3
//   [############........] 104/178 hosts · 0 errors · 612s
//   --- result: Success (178/178, 0 errors)
//
// plus the Failed / Halted / Interrupted results, which name every failed host and why, and
// the one-line-per-host form for output that is not a terminal.
#include <string>
#include <string_view>

#include "core/rollout_result.h"

namespace drover::core {

inline constexpr std::size_t kProgressCells = 20;

/// "command: <deploy id>".
std::string render_deploy_id_line(std::string_view deploy_id);

/// "[############........] 104/178 hosts · 0 errors · 612s" (no newline; a terminal redraws it
/// in place). Filled cells = finished/total of 20, rounded to nearest, but all 20 only when
/// every host is finished.
std::string render_progress_bar(const RolloutProgress& progress);
/// The bar's cells alone, `cells` wide: "[############........]".
std::string render_progress_cells(const RolloutProgress& progress, std::size_t cells);
/// The bar's counts alone: "104/178 hosts · 0 errors · 612s".
std::string render_progress_counts(const RolloutProgress& progress);

/// "--- result: Success (178/178, 0 errors)\n", or Failed / Halted / Interrupted with the
/// reason, followed by one "  failed <host>: <reason>\n" line per failed host. The count is
/// succeeded/total.
std::string render_result(const RolloutResult& result);

/// One plain line per finished host for pipes and logs:
/// "[104/178] host-7: ok (42s)", "[105/178] host-8: FAILED: bot541 rolled back: … (40s)".
std::string render_host_line(const HostRecord& record, const RolloutProgress& progress);

}  // namespace drover::core
