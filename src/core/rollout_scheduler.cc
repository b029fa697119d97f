#include "core/rollout_scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace drover::core {

RolloutScheduler::RolloutScheduler(RolloutOptions options, Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      started_at_(clock.now()),
      window_(options_.concurrency.window(options_.hosts.size())) {
  std::set<HostName> seen;
  for (const auto& host : options_.hosts) {
    if (!seen.insert(host).second) {
      throw std::invalid_argument(fmt::format("host {} is listed twice in the rollout", host));
    }
    if (options_.already_done.count(host) != 0) {
      ++already_done_;
    }
  }
  // Each host's slot by plan index, looked up once here rather than by name at every step.
  if (!options_.not_before.empty()) {
    slots_.reserve(options_.hosts.size());
    for (const auto& host : options_.hosts) {
      const auto it = options_.not_before.find(host);
      slots_.push_back(it == options_.not_before.end() ? Duration(0) : it->second);
    }
  }
}

std::size_t RolloutScheduler::next_pending() {
  while (next_index_ < options_.hosts.size() &&
         options_.already_done.count(options_.hosts[next_index_]) != 0) {
    ++next_index_;
  }
  return next_index_;
}

Duration RolloutScheduler::slot_of(std::size_t index) const {
  return slots_.empty() ? Duration(0) : slots_[index];
}

std::vector<HostName> RolloutScheduler::next_to_start() {
  std::vector<HostName> starting;
  const TimePoint now = clock_.now();
  while (!stopped() && in_flight_.size() < window_ && next_pending() < options_.hosts.size()) {
    const HostName& host = options_.hosts[next_index_];
    if (slot_of(next_index_) > now - started_at_) {
      break;  // its slot has not come, nor that of any host after it
    }
    ++next_index_;
    in_flight_.emplace(host, now);
    starting.push_back(host);
  }
  return starting;
}

std::optional<Duration> RolloutScheduler::until_next_slot() const {
  if (stopped() || in_flight_.size() >= window_) {
    return std::nullopt;
  }
  for (std::size_t i = next_index_; i < options_.hosts.size(); ++i) {
    const HostName& host = options_.hosts[i];
    if (options_.already_done.count(host) == 0) {
      return std::max(Duration(0), slot_of(i) - (clock_.now() - started_at_));
    }
  }
  return std::nullopt;
}

void RolloutScheduler::on_finished(const HostName& host, HostOutcome outcome) {
  const auto it = in_flight_.find(host);
  if (it == in_flight_.end()) {
    throw std::logic_error(fmt::format("host {} finished but was not in flight", host));
  }
  const Duration took = clock_.now() - it->second;
  in_flight_.erase(it);
  if (outcome.ok()) {
    ++succeeded_;
    return;
  }
  ++failed_;
  failures_.push_back({host, std::move(outcome), took, {}});
  // The threshold is measured against the whole plan, resumed hosts included, so a resumed
  // deploy halts at the same count of failures as the original would have.
  if (options_.halt.halts(failed_, options_.hosts.size())) {
    halted_ = true;
  }
}

void RolloutScheduler::interrupt() {
  interrupted_ = true;
}

bool RolloutScheduler::done() const {
  if (!in_flight_.empty()) {
    return false;
  }
  if (stopped()) {
    return true;
  }
  // Every host that is not already done is started at most once, so none is left to start
  // when the started ones (all finished here) are all of them. Counting, not scanning the
  // rest of the plan: the simulator asks after every event of a 10,000-host rollout.
  return succeeded_ + failed_ == options_.hosts.size() - already_done_;
}

RolloutProgress RolloutScheduler::progress() const {
  RolloutProgress progress;
  progress.total = options_.hosts.size();
  progress.finished = already_done_ + succeeded_ + failed_;
  progress.failed = failed_;
  progress.in_flight = in_flight_.size();
  progress.elapsed = clock_.now() - started_at_;
  return progress;
}

std::vector<HostName> RolloutScheduler::in_flight_hosts() const {
  std::vector<HostName> hosts;
  for (const auto& [host, started] : in_flight_) hosts.push_back(host);
  return hosts;
}

RolloutResult RolloutScheduler::result() const {
  RolloutResult result;
  result.total = options_.hosts.size();
  result.succeeded = already_done_ + succeeded_;
  result.failed = failed_;
  result.already_done = already_done_;
  result.tolerated_failures = options_.halt.tolerated_failures(result.total);
  result.failures = failures_;
  result.elapsed = clock_.now() - started_at_;
  for (std::size_t i = next_index_; i < options_.hosts.size(); ++i) {
    if (options_.already_done.count(options_.hosts[i]) == 0) {
      result.not_started.push_back(options_.hosts[i]);
    }
  }
  // Halted/interrupted only when that actually held hosts back; a rollout whose last host
  // tipped the threshold attempted everything and is reported as failed.
  if (!result.not_started.empty() && halted_) {
    result.status = RolloutStatus::halted;
  } else if (!result.not_started.empty() && interrupted_) {
    result.status = RolloutStatus::interrupted;
  } else if (failed_ > 0) {
    result.status = RolloutStatus::failed;
  } else {
    result.status = RolloutStatus::success;
  }
  return result;
}

}  // namespace drover::core
