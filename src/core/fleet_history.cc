#include "core/fleet_history.h"

namespace drover::core {

double SpeedHistory::failure_rate() const {
  if (took.empty()) return 0.0;
  return static_cast<double>(failed) / static_cast<double>(took.size());
}

void FleetHistory::add(const JournalReplay& journal) {
  std::vector<const HostRecord*> timed;
  for (const auto& record : journal.hosts) {
    if (record.took.count() > 0) timed.push_back(&record);
  }
  if (timed.empty()) return;
  auto& speed = by_speed[journal.plan.speed];
  ++speed.deploys;
  for (const auto* record : timed) {
    speed.took.push_back(record->took);
    speed.took_by_host[record->host].push_back(record->took);
    if (!record->outcome.ok()) ++speed.failed;
    for (const auto& bot : record->bots) {
      const auto& t = bot.timings;
      // A bot logs in when its new container starts; one whose steps were not timed (an
      // older agent) or that was not restarted says nothing about when.
      if (bot.outcome != BotSwapOutcome::swapped || t.start_ms <= 0) {
        continue;
      }
      speed.login_after.emplace_back(t.pull_ms + t.create_ms + t.stop_ms + t.start_ms);
    }
  }
}

const SpeedHistory* FleetHistory::of(SpeedName speed) const {
  const auto it = by_speed.find(speed);
  return it == by_speed.end() ? nullptr : &it->second;
}

}  // namespace drover::core
