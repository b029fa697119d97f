#pragma once
// Decides which host starts when: a step function the CLI's rollout driver
// (cli/rollout_driver.cc) drives with a real transport and tests drive with a virtual clock.
// It never waits and never does I/O; the driver asks what to start, starts it, and reports
// each finish, in a loop like this one (`run_on_a_thread` and `next_finished` are the
// driver's: the scheduler only decides):
//
//   RolloutScheduler scheduler(options, clock);
//   while (!scheduler.done()) {
//     for (const auto& host : scheduler.next_to_start()) run_on_a_thread(host);
//     if (scheduler.done()) break;
//     // blocks until a started host ends, or the next host's start slot comes
//     auto finished = next_finished(scheduler.until_next_slot());
//     if (finished) scheduler.on_finished(finished->host, finished->outcome);
//   }
//
// Rules:
//   - Sliding window: at most `window` hosts in flight, where window is the concurrency's
//     count (or every host, for ALL); a host starts as soon as one finishes. Hosts start in
//     plan order.
//   - Start slots (storm control, start_slots.h): host i does not start before `slots[i]`
//     after the scheduler was made, and the hosts after it in the order wait with it (the
//     driver lists hosts in slot order). The window still applies on top.
//   - Resume: hosts in `already_done` are never started and count as succeeded.
//   - Error halt (halt_threshold.h): once failed > tolerated, no new host starts; in-flight
//     hosts finish and are counted. HaltThreshold::never() never halts.
//   - interrupt(): no new host starts, whether or not its slot has come (it is not_started);
//     in-flight hosts finish, or are withdrawn (on_withdrawn: their command had not reached
//     the host, so they are not_started too). Idempotent.
//   - done(): nothing in flight and nothing more will start.
// Invariants: a host is started at most once; in_flight ≤ window at every moment.
#include <cstddef>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/fleet.h"
#include "core/halt_threshold.h"
#include "core/host_outcome.h"
#include "core/rollout_result.h"
#include "core/speed_settings.h"
#include "util/clock.h"

namespace drover::core {

struct RolloutOptions {
  std::vector<HostName> hosts;  // the plan's hosts, in rollout order, each once
  Concurrency concurrency = Concurrency::hosts(5);
  HaltThreshold halt = HaltThreshold::over_fraction(0.10);
  std::set<HostName> already_done;  // succeeded in an earlier run of this deploy
  // hosts[i]'s start slot, from the start (non-decreasing: hosts are listed in slot order);
  // empty: every host may start at once.
  std::vector<Duration> slots;
};

class RolloutScheduler {
 public:
  /// Throws std::invalid_argument when a host is listed twice, or when `slots` is neither
  /// empty nor one per host. Elapsed time counts from here.
  RolloutScheduler(RolloutOptions options, Clock& clock);

  /// The hosts to start now (possibly none, at most `limit`), in plan order; they are in
  /// flight from here on.
  std::vector<HostName> next_to_start(std::size_t limit = static_cast<std::size_t>(-1));
  /// Reports that an in-flight host finished. Throws std::logic_error for a host that is not
  /// in flight (never started, or already reported): a driver bug, not an operator error.
  void on_finished(const HostName& host, HostOutcome outcome);
  /// How long until the next host's start slot comes (0: it has come, but the window is what
  /// holds it); nullopt when no host is waiting for a slot (none left, stopped, window full).
  std::optional<Duration> until_next_slot() const;
  /// Reports that an in-flight host's start was withdrawn before anything ran on it (Ctrl-C
  /// cancelled its command while it waited for delivery): it counts as not started, not as
  /// finished. Only after interrupt(); throws std::logic_error otherwise, or for a host that is
  /// not in flight.
  void on_withdrawn(const HostName& host);
  /// Stop starting hosts; in-flight ones still finish and must still be reported.
  void interrupt();

  bool done() const;
  bool halted() const { return halted_; }
  bool interrupted() const { return interrupted_; }
  /// The window for this rollout (never 0 unless the plan is empty).
  std::size_t window() const { return window_; }
  std::size_t in_flight() const { return in_flight_count_; }
  /// The hosts started and not finished, in name order.
  std::vector<HostName> in_flight_hosts() const;

  RolloutProgress progress() const;
  /// The result so far; final once done().
  RolloutResult result() const;

 private:
  bool stopped() const { return halted_ || interrupted_; }
  /// The first host from next_index_ on that is not already done (hosts.size() if none);
  /// skips the done ones for good.
  std::size_t next_pending();
  /// The start slot of options_.hosts[index].
  Duration slot_of(std::size_t index) const;
  bool is_already_done(std::size_t index) const;

  RolloutOptions options_;
  Clock& clock_;
  TimePoint started_at_;
  std::size_t window_;
  std::size_t next_index_ = 0;  // first host of options_.hosts not yet considered
  std::size_t already_done_ = 0;
  std::size_t succeeded_ = 0;
  std::size_t failed_ = 0;
  bool halted_ = false;
  bool interrupted_ = false;
  // Everything per host is by plan index (options_.hosts), looked up by name once per finish:
  // the simulator (fleet_simulator.h) runs this for 10,000 hosts hundreds of times, where
  // name-keyed trees cost most of its time.
  std::unordered_map<std::string_view, std::size_t> index_of_;  // views into options_.hosts
  std::vector<bool> already_done_by_index_;                     // empty when none is
  std::vector<std::optional<TimePoint>> started_;               // set while in flight
  std::size_t in_flight_count_ = 0;
  std::vector<HostRecord> failures_;
  std::vector<std::size_t> withdrawn_;  // plan indexes, in the order they were withdrawn
};

}  // namespace drover::core
