#include "core/verification.h"

#include <algorithm>
#include <map>

namespace drover::core {

std::string short_image(const std::string& reference) {
  constexpr std::string_view kDigest = "@sha256:";
  constexpr std::size_t kShown = 12;
  const auto at = reference.find(kDigest);
  if (at == std::string::npos || reference.size() <= at + kDigest.size() + kShown) {
    return reference;
  }
  return reference.substr(0, at + kDigest.size() + kShown);
}

std::string down_reason(const BotStatus& status) {
  if (!status.present) return "no container";
  const auto on = status.image.empty() ? std::string() : " on " + short_image(status.image);
  if (status.state == "restarting") return "crash-looping" + on;
  if (status.state == "exited" || status.state == "dead") {
    return "exited with code " + std::to_string(status.exit_code) + on;
  }
  if (status.state == "created") return "never started" + on;
  if (status.state == "paused") return "paused" + on;
  return "not running" + on;
}

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
      report.down_reasons[id] = down_reason(status);
      continue;
    }
    (status.matches_expected ? report.on_version : report.stale).push_back(id);
    (status.login == LoginState::logged_in ? report.logged_in : report.not_logged_in).push_back(id);
  }
  for (auto* list : {&report.on_version, &report.stale, &report.down, &report.unanswered,
                     &report.logged_in, &report.not_logged_in}) {
    std::sort(list->begin(), list->end());
  }
  return report;
}

}  // namespace drover::core
