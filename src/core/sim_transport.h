#pragma once
// The `sim` transport of the design (ARCHITECTURE.md): discrete-event hosts with a timing and
// failure model (host_time_model.h), on a virtual clock. Starting a host draws when it will
// finish and how; the simulator (fleet_simulator.h) moves the clock to the earliest finish or
// the scheduler's next start slot, whichever comes first, and reports what finished.
//
// Why not a core::Transport: that interface is a blocking call per host, which the real
// rollout runs on a thread per in-flight host against a real clock. A simulated host has
// nothing to wait for; as an event queue it simulates 10,000 hosts on one thread without a
// sleep or a thread, and the scheduler it drives is the real one.
// Invariant: a host is in flight from start() until finish_due() returns it, once.
#include <cstddef>
#include <optional>
#include <queue>
#include <vector>

#include "core/fleet.h"
#include "core/host_outcome.h"
#include "core/host_time_model.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::core {

class SimTransport {
 public:
  /// `model` and `random` must outlive the transport.
  SimTransport(const HostTimeModel& model, Random& random) : model_(model), random_(random) {}

  /// Starts `host`'s swap at `now`: draws its duration and outcome.
  void start(const HostName& host, TimePoint now);
  /// When the earliest in-flight host finishes; nullopt when none is in flight.
  std::optional<TimePoint> next_finish() const;

  struct Finished {
    HostName host;
    HostOutcome outcome;
  };
  /// Every in-flight host that finishes at or before `now`, earliest first (ties in start order).
  std::vector<Finished> finish_due(TimePoint now);

  std::size_t in_flight() const { return events_.size(); }

 private:
  struct Event {
    TimePoint finish;
    std::size_t sequence;  // start order, for ties
    HostName host;
    bool fails;
    // std::priority_queue is a max-heap: "greater" puts the earliest on top.
    bool operator>(const Event& other) const {
      return finish != other.finish ? finish > other.finish : sequence > other.sequence;
    }
  };

  const HostTimeModel& model_;
  Random& random_;
  std::size_t started_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
};

}  // namespace drover::core
