#pragma once
// How long one simulated host's swap takes and whether it fails: the timing and failure model
// of the sim transport (sim_transport.h).
//
// Two sources:
//   - history (fleet_history.h): a host's duration is drawn from its own recorded durations at
//     this speed when it has some, else from every host's; the failure rate is the recorded
//     share of failed host records; each bot's login, after its host's start, from every
//     recorded bot login.
//   - the speed's settings (no history): uniform between the guide-table estimate's bounds for
//     one host (duration_estimate.h): kSwapOverhead + settle, up to + login_wait when the speed
//     polls logins; no failures; a host's bots log in when it starts (no login times).
// `--failure-rate` (simulate) replaces the failure rate, whichever the source.
#include <map>
#include <vector>

#include "core/fleet.h"
#include "core/fleet_history.h"
#include "core/speed_settings.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::core {

struct HostTimeModel {
  std::vector<Duration> pooled;                       // history: every host's durations
  std::map<HostName, std::vector<Duration>> by_host;  // history: each host's own
  std::vector<Duration> login_after;                  // history: bot logins after host start
  Duration low{0};                                    // settings: uniform in [low, high]
  Duration high{0};
  double failure_rate = 0.0;  // each host fails with this probability, within [0, 1]

  /// One swap duration for `host`.
  Duration draw_duration(const HostName& host, Random& random) const;
  /// Whether this host's swap fails.
  bool draw_failure(Random& random) const;
  /// Whether logins have their own times (history); without, a host's bots log in at its start.
  bool has_login_times() const { return !login_after.empty(); }
  /// When one bot logs in after its host starts; 0 without login times.
  Duration draw_login_after(Random& random) const;
};

HostTimeModel time_model_from_settings(const SpeedSettings& settings);
HostTimeModel time_model_from_history(const SpeedHistory& history);

}  // namespace drover::core
