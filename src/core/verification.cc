#include "core/verification.h"

#include <algorithm>
#include <map>

namespace drover::core {

VerificationReport classify_bots(const std::vector<BotId>& expected,
                                 const std::vector<BotStatus>& observed) {
  std::map<BotId, const BotStatus*> by_bot;
  for (const auto& status : observed) {
    by_bot.emplace(status.bot, &status);
  }

  VerificationReport report;
  report.total = expected.size();
  for (BotId id : expected) {
    const auto it = by_bot.find(id);
    if (it == by_bot.end()) {
      report.unanswered.push_back(id);
      continue;
    }
    const BotStatus& status = *it->second;
    if (!status.present || !status.running) {
      report.down.push_back(id);
      continue;
    }
    (status.on_expected_image.value_or(false) ? report.on_version : report.stale).push_back(id);
    (status.login == LoginState::logged_in ? report.logged_in : report.not_logged_in).push_back(id);
  }
  for (auto* list : {&report.on_version, &report.stale, &report.down, &report.unanswered,
                     &report.logged_in, &report.not_logged_in}) {
    std::sort(list->begin(), list->end());
  }
  return report;
}

}  // namespace drover::core
