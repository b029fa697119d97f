#pragma once
// The rollout's result, corrected by what verification found. An agent confirms a bot on the
// evidence it has at the end of its settle window; verification looks again afterwards. A
// host whose agent confirmed its bots but where verification then finds one of them down
// (crash-looping, exited, gone) did not succeed, and the result line must say so: otherwise
// the only trace of a bot down would be the verification report.
#include <vector>

#include "core/rollout_result.h"
#include "core/target.h"
#include "core/verification.h"

namespace drover::core {

/// Moves every host of `confirmed` (hosts that succeeded, in this run or, for a resumed
/// deploy, an earlier one) with a bot in `report.down` from the successes to the failures,
/// with a reason naming the bots and why they are down. A success becomes failed; a halt or
/// an interrupt stays what it was. Hosts not in `confirmed` are left as they are.
RolloutResult fail_confirmed_hosts_found_down(RolloutResult result,
                                              const std::vector<HostSelection>& confirmed,
                                              const VerificationReport& report);

}  // namespace drover::core
