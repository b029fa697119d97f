#include "core/swap_outcome.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string>

namespace drover::core {

HostOutcome swap_outcome(const SwapReport& report, const std::vector<BotId>& expected) {
  std::map<BotId, const BotSwapResult*> by_bot;
  for (const auto& bot : report.bots) {
    by_bot[bot.bot] = &bot;
  }

  std::vector<std::string> problems;
  bool bot_problem = false;
  for (BotId id : expected) {
    const auto it = by_bot.find(id);
    if (it == by_bot.end()) {
      problems.push_back(fmt::format("{} missing from the agent's report", bot_name(id)));
      continue;
    }
    const BotSwapResult& bot = *it->second;
    if (bot.outcome == BotSwapOutcome::rolled_back || bot.outcome == BotSwapOutcome::failed) {
      bot_problem = true;
      const auto what = bot.outcome == BotSwapOutcome::rolled_back ? "rolled back" : "failed";
      problems.push_back(bot.reason.empty()
                             ? fmt::format("{} {}", bot_name(id), what)
                             : fmt::format("{} {}: {}", bot_name(id), what, bot.reason));
    }
  }
  if (report.error) {
    problems.insert(problems.begin(), fmt::format("agent error: {}", *report.error));
  }
  if (!report.ok && problems.empty()) {
    problems.push_back("agent reported ok=false without a reason");
  }

  if (problems.empty()) {
    return HostOutcome::success(fmt::format("{} bot(s) on the new image", expected.size()));
  }
  // A bot that rolled back or failed is the precise story; an agent error without bot
  // detail (preflight refused, pull failed) is the agent's.
  const FailureKind kind = bot_problem                  ? FailureKind::bot_failed
                           : report.error || !report.ok ? FailureKind::agent_error
                                                        : FailureKind::bad_output;
  return HostOutcome::failure(kind, fmt::format("{}", fmt::join(problems, "; ")));
}

std::vector<BotRecord> bot_records(const SwapReport& report) {
  std::vector<BotRecord> records;
  for (const auto& bot : report.bots) {
    records.push_back({bot.bot, bot.outcome, bot.from, bot.repo_digest, bot.timings});
  }
  return records;
}

}  // namespace drover::core
