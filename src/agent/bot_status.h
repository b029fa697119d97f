#pragma once
// What runs for each bot, as `drover-agent status` reports it: the raw facts the operator's
// verification classifies into on-version / stale / down and logged-in / not yet. The facts
// are the agent protocol's core::BotStatus, so what is read is exactly what is reported.
#include <map>
#include <optional>
#include <vector>

#include "agent/agent_context.h"
#include "agent/login_probe.h"
#include "core/agent_report.h"
#include "core/image_reference.h"

namespace drover::agent {

/// How long a bot the engine has restarted before (RestartCount > 0) is watched before it is
/// reported running: a crash-looping one restarts or stops within it.
inline constexpr Duration kRestartWatch{std::chrono::seconds(2)};

/// `expected` holds the reference each bot is compared with; a bot without one is compared
/// with nothing. A digest reference matches by repo digest; a tag matches when it names the
/// same image id locally. A running bot with restarts behind it is looked at again after
/// kRestartWatch, and reported "restarting" (not running) if it restarted or stopped since.
std::vector<core::BotStatus> read_bot_status(AgentContext& ctx, LoginProbe& probe,
                                             const std::vector<int>& bot_ids,
                                             const std::map<int, core::ImageReference>& expected);

}  // namespace drover::agent
