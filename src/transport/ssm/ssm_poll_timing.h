#pragma once
// When a command's first poll comes. Polls keep the poll interval's cadence, but their phase
// follows how long this deploy's commands have taken: with the first poll fixed one interval
// after the send, a swap about as long as the interval (2.1 s against 2 s) was seen only at the
// second poll, twice as late as it ended. SSM dates every finished invocation (the plugin's
// ResponseFinishDateTime, from the instance's agent, against the row's RequestedDateTime, from
// the service; EC2 keeps both on Amazon's time sync, and a skew only moves the phase, within the
// bounds below), so the call group learns the run time from the rows it already reads and
// places the first poll just after it:
//
//   nothing learned yet       one interval after the send, as before;
//   expected + slack <= I     at expected + slack: a short command is seen when it ends;
//   expected + slack >  I     between I and 2 I, at the phase where expected + slack falls:
//                             never a poll less often than every interval, never a first poll
//                             later than two intervals (a failing host is seen as soon as today).
//
// The expected run time is the longest of the last few seen, so a host as slow as its peers
// costs no extra poll; one slower than all of them, or one SSM lists as ended later than the
// slack (5% of the run, at least 0.1 s) allows, is seen an interval later. The first poll comes
// no sooner than half a second (or one interval, when that is shorter).
#include <array>
#include <cstddef>
#include <optional>

#include "util/clock.h"

namespace drover::transport {

/// The longest of the last kRunTimesKept run times observed (seconds from a command's request
/// to an invocation's finish, as SSM dates them).
class RunTimeEstimate {
 public:
  static constexpr std::size_t kRunTimesKept = 16;
  /// Negative or non-finite values (a clock gap, a missing date) are ignored.
  void observe(double seconds);
  /// Nothing until one run time was observed.
  std::optional<Duration> expected() const;

 private:
  std::array<double, kRunTimesKept> recent_{};
  std::size_t count_ = 0;  // observations so far (the ring holds the last kRunTimesKept)
};

/// How long after the send a command's first poll comes (see above); `interval` > 0.
Duration first_poll_delay(std::optional<Duration> expected, Duration interval);

}  // namespace drover::transport
