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
      window_(options_.concurrency.window(options_.hosts.size())),
      started_(options_.hosts.size()) {
  if (!options_.slots.empty() && options_.slots.size() != options_.hosts.size()) {
    throw std::invalid_argument(
        fmt::format("{} start slots for {} hosts", options_.slots.size(), options_.hosts.size()));
  }
  index_of_.reserve(options_.hosts.size());
  for (std::size_t i = 0; i < options_.hosts.size(); ++i) {
    if (!index_of_.emplace(options_.hosts[i], i).second) {
      throw std::invalid_argument(
          fmt::format("host {} is listed twice in the rollout", options_.hosts[i]));
    }
  }
  if (!options_.already_done.empty()) {
    already_done_by_index_.resize(options_.hosts.size());
    for (std::size_t i = 0; i < options_.hosts.size(); ++i) {
      if (options_.already_done.count(options_.hosts[i]) != 0) {
        already_done_by_index_[i] = true;
        ++already_done_;
      }
    }
  }
}

bool RolloutScheduler::is_already_done(std::size_t index) const {
  return !already_done_by_index_.empty() && already_done_by_index_[index];
}

std::size_t RolloutScheduler::next_pending() {
  while (next_index_ < options_.hosts.size() && is_already_done(next_index_)) {
    ++next_index_;
  }
  return next_index_;
}

Duration RolloutScheduler::slot_of(std::size_t index) const {
  return options_.slots.empty() ? Duration(0) : options_.slots[index];
}

std::vector<HostName> RolloutScheduler::next_to_start(std::size_t limit) {
  std::vector<HostName> starting;
  const TimePoint now = clock_.now();
  while (!stopped() && in_flight_count_ < window_ && starting.size() < limit &&
         next_pending() < options_.hosts.size()) {
    if (slot_of(next_index_) > now - started_at_) {
      break;  // its slot has not come, nor that of any host after it
    }
    started_[next_index_] = now;
    ++in_flight_count_;
    starting.push_back(options_.hosts[next_index_]);
    ++next_index_;
  }
  return starting;
}

std::optional<Duration> RolloutScheduler::until_next_slot() const {
  if (stopped() || in_flight_count_ >= window_) {
    return std::nullopt;
  }
  for (std::size_t i = next_index_; i < options_.hosts.size(); ++i) {
    if (!is_already_done(i)) {
      return std::max(Duration(0), slot_of(i) - (clock_.now() - started_at_));
    }
  }
  return std::nullopt;
}

void RolloutScheduler::on_finished(const HostName& host, HostOutcome outcome) {
  const auto index = index_of_.find(host);
  if (index == index_of_.end() || !started_[index->second]) {
    throw std::logic_error(fmt::format("host {} finished but was not in flight", host));
  }
  auto& started = started_[index->second];
  const Duration took = clock_.now() - *started;
  started.reset();
  --in_flight_count_;
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

void RolloutScheduler::on_withdrawn(const HostName& host) {
  const auto index = index_of_.find(host);
  if (!interrupted_ || index == index_of_.end() || !started_[index->second]) {
    throw std::logic_error(
        fmt::format("host {} was withdrawn but was not in flight in an interrupted rollout", host));
  }
  started_[index->second].reset();
  --in_flight_count_;
  withdrawn_.push_back(index->second);
}

void RolloutScheduler::interrupt() {
  interrupted_ = true;
}

bool RolloutScheduler::done() const {
  if (in_flight_count_ != 0) {
    return false;
  }
  if (stopped()) {
    return true;
  }
  // Every host that is not already done is started at most once, so none is left to start
  // when the started ones (all finished here) are all of them. Counting, not scanning the
  // rest of the plan: the simulator asks after every event of a 10,000-host rollout.
  return succeeded_ + failed_ + withdrawn_.size() == options_.hosts.size() - already_done_;
}

RolloutProgress RolloutScheduler::progress() const {
  RolloutProgress progress;
  progress.total = options_.hosts.size();
  progress.finished = already_done_ + succeeded_ + failed_;
  progress.failed = failed_;
  progress.in_flight = in_flight_count_;
  progress.elapsed = clock_.now() - started_at_;
  if (const auto slot = until_next_slot(); slot && slot->count() > 0) {
    progress.next_start_in = slot;
  }
  return progress;
}

std::vector<HostName> RolloutScheduler::in_flight_hosts() const {
  std::vector<HostName> hosts;
  for (std::size_t i = 0; i < options_.hosts.size(); ++i) {
    if (started_[i]) {
      hosts.push_back(options_.hosts[i]);
    }
  }
  std::sort(hosts.begin(), hosts.end());
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
  // Withdrawn hosts were started in plan order before every host after next_index_.
  auto withdrawn = withdrawn_;
  std::sort(withdrawn.begin(), withdrawn.end());
  for (const auto i : withdrawn) {
    result.not_started.push_back(options_.hosts[i]);
  }
  for (std::size_t i = next_index_; i < options_.hosts.size(); ++i) {
    if (!is_already_done(i)) {
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
