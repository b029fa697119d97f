#pragma once
// The plan the operator confirms (guide, example b), plus the image rows:
//
//   ================ deploy plan ================
//   Target        ALL production bots
//   Hosts         178 (~534 bots)
//   Speed         routine
//   Concurrency   5 host(s) at a time (~15 simultaneous Steam logins)
//   Graceful stop 35s
//   Error halt    10%
//   Est. duration ~15-30 min (guide's estimate, no history)
//   Image         127.0.0.1:5000/tradebot:v2
//   Digest        127.0.0.1:5000/tradebot@sha256:…
//   =============================================
//
// "Est. duration" is simulated from the fleet's history at this speed when it has some
// (`~14m05s (simulated from 12 deploys; p90 ~15m10s)`, history_estimate.h), else the guide's
// table, saying so. An immediate plan adds "Storm spread" (`178 hosts over 60s, one every 0.34s,
// random order`) and "Login poll" rows and a warning after the box, because that speed restarts the
// whole fleet at once; any speed with a login_rate adds "Login rate" (`at most 10 bots start per
// second (last host starts at ~60s)`). After the drift preflight, an "Agents"
// row counts the hosts running this drover's agent build, and "Agent drift", "No agent" and
// "Unreachable" rows name the others (`Agent drift   allowed for 1 host (bot-host-2)`).
// A rollback's box is titled "rollback plan" and, instead of the image rows, lists every
// digest the bots go back to with how many bots and which deploy it undoes ("Back to"), the
// selected bots left where they are and why ("Left alone"), and every bot skipped by name with
// the reason ("Skipped"):
//
//   Back to       127.0.0.1:5000/tradebot@sha256:…  4 bots (undoing deploy 6ca32b16)
//                 127.0.0.1:5000/tradebot@sha256:…  2 bots (undoing deploy 6ca32b16)
//   Left alone    3 bots: their latest deploy 6ca32b16 did not change them
//   Skipped       bot541: deploy 6ca32b16 created it (it had no container before): …
#include <string>

#include "core/deploy_plan.h"

namespace drover::core {

/// The box, each line ending in '\n'.
std::string render_plan_box(const DeployPlan& plan);

}  // namespace drover::core
