#include "core/verified_result.h"

#include <fmt/format.h>

#include <algorithm>

namespace drover::core {

RolloutResult fail_confirmed_hosts_found_down(RolloutResult result,
                                              const std::vector<HostSelection>& confirmed,
                                              const VerificationReport& report) {
  for (const auto& host : confirmed) {
    std::string down;
    for (BotId bot : host.bots) {
      if (!std::binary_search(report.down.begin(), report.down.end(), bot)) continue;
      const auto reason = report.down_reasons.find(bot);
      down += fmt::format("{}bot{} ({})", down.empty() ? "" : ", ", bot,
                          reason == report.down_reasons.end() ? "down" : reason->second);
    }
    if (down.empty()) continue;
    result.failures.push_back(
        {host.name,
         HostOutcome::failure(FailureKind::bot_failed,
                              "the agent confirmed its bots, but verification found " + down),
         Duration(0),
         {}});
    if (result.succeeded > 0) --result.succeeded;
    ++result.failed;
  }
  if (result.status == RolloutStatus::success && result.failed > 0) {
    result.status = RolloutStatus::failed;
  }
  return result;
}

}  // namespace drover::core
