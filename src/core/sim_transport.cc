#include "core/sim_transport.h"

#include <utility>

namespace drover::core {

void SimTransport::start(const HostName& host, TimePoint now) {
  const Duration took = model_.draw_duration(host, random_);
  const bool fails = model_.draw_failure(random_);
  events_.push({now + took, started_++, host, fails});
}

std::optional<TimePoint> SimTransport::next_finish() const {
  if (events_.empty()) return std::nullopt;
  return events_.top().finish;
}

std::vector<SimTransport::Finished> SimTransport::finish_due(TimePoint now) {
  std::vector<Finished> due;
  while (!events_.empty() && events_.top().finish <= now) {
    const Event& event = events_.top();
    due.push_back({event.host,
                   event.fails ? HostOutcome::failure(FailureKind::bot_failed, "simulated failure")
                               : HostOutcome::success()});
    events_.pop();
  }
  return due;
}

}  // namespace drover::core
