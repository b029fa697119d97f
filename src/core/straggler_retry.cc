#include "core/straggler_retry.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace drover::core {

std::size_t StragglerRetryPlan::bot_count() const {
  std::size_t count = 0;
  for (const auto& host : hosts) {
    count += host.bots.size();
  }
  return count;
}

StragglerRetryPlan plan_straggler_retry(const VerificationReport& report,
                                        const Selection& selection, Duration wait) {
  const std::set<BotId> stragglers(report.not_logged_in.begin(), report.not_logged_in.end());
  StragglerRetryPlan plan;
  plan.wait = wait;
  for (const auto& host : selection.hosts) {
    HostSelection recheck{host.name, host.address, {}};
    for (BotId bot : host.bots) {
      if (stragglers.count(bot) != 0) {
        recheck.bots.push_back(bot);
      }
    }
    if (!recheck.bots.empty()) {
      plan.hosts.push_back(std::move(recheck));
    }
  }
  return plan;
}

StragglerRetryResult evaluate_straggler_retry(const StragglerRetryPlan& plan,
                                              const std::vector<BotStatus>& rechecked) {
  std::map<BotId, const BotStatus*> by_bot;
  for (const auto& status : rechecked) {
    by_bot.emplace(status.bot, &status);
  }
  StragglerRetryResult result;
  for (const auto& host : plan.hosts) {
    for (BotId bot : host.bots) {
      ++result.stragglers;
      const auto it = by_bot.find(bot);
      const bool in = it != by_bot.end() && it->second->present && it->second->running &&
                      it->second->login == LoginState::logged_in;
      (in ? result.logged_in_during_wait : result.still_not_logged_in).push_back(bot);
    }
  }
  std::sort(result.logged_in_during_wait.begin(), result.logged_in_during_wait.end());
  std::sort(result.still_not_logged_in.begin(), result.still_not_logged_in.end());
  return result;
}

Duration straggler_wait_remaining(const StragglerRetryPlan& plan, TimePoint started,
                                  TimePoint now) {
  const Duration left = started + plan.wait - now;
  return left.count() > 0 ? left : Duration(0);
}

std::string render_straggler_countdown(std::size_t stragglers, Duration remaining) {
  // Rounded up: the line must not claim "0s" while there is still time left to wait.
  const auto seconds = (std::max<long long>(remaining.count(), 0) + 999) / 1000;
  return fmt::format("letting {} straggler(s) finish Steam login — retry in {}s", stragglers,
                     seconds);
}

std::string render_straggler_recheck(std::size_t stragglers) {
  return fmt::format("re-checking the {} straggler(s)…", stragglers);
}

std::string render_straggler_result(const StragglerRetryResult& result) {
  constexpr int kLabelWidth = 21;  // "logged in during wait"
  std::string out = "── retry result ──\n";
  out += fmt::format("  {:<{}} : {}/{}\n", "logged in during wait", kLabelWidth,
                     result.logged_in_during_wait.size(), result.stragglers);
  if (result.all_logged_in()) {
    out += fmt::format("  {:<{}} : 0 ✅\n", "STILL not logged in", kLabelWidth);
  } else {
    out += fmt::format("  {:<{}} : {} ❌ -> {}\n", "STILL not logged in", kLabelWidth,
                       result.still_not_logged_in.size(), bot_list(result.still_not_logged_in));
  }
  out += "──────────────────────────────────────\n";
  return out;
}

}  // namespace drover::core
