#pragma once
// What a speed means in numbers: how many hosts at once, how long a bot gets to stop, when
// the error halt fires, and what the agent is told about jitter, settle and login polling.
//
// Defaults (the guide's table; settle and login wait are drover's choice, see below):
//   speed      hosts  stop  halt      jitter  settle  login poll
//   routine    5      35 s  over 10 % none    10 s    yes, up to 25 s per host
//   fast       10     20 s  over 10 % none    10 s    yes, up to 25 s per host
//   immediate  ALL    5 s   never     60 s    5 s     no
// Jitter is the storm window: drover gives each host its own start slot, evenly spread over it
// in a random order (start_slots.h), so immediate's 178 hosts start one every 0.34 s.
// No speed caps the login rate by default (login_rate, bots per second, is configuration).
// Settle 10 s: a bot that crash-loops on start (bad config, missing env) exits within a few
// seconds, so 10 s of "still running" catches it while keeping a host's swap short.
// Login wait 25 s: long enough for a healthy bot's Steam login in the common case; the poll
// is informational (never gates success) and the post-deploy straggler retry catches the rest.
// Every field can be overridden from configuration (SpeedOverrides, filled by the loader).
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/halt_threshold.h"
#include "core/speed.h"
#include "util/clock.h"

namespace drover::core {

/// How many hosts run at once: a fixed count (a sliding window), or every selected host.
/// Invariant: a fixed count is at least 1.
class Concurrency {
 public:
  static Concurrency hosts(std::size_t count);  // throws InputError when count == 0
  static Concurrency all_hosts() { return Concurrency(0); }

  bool is_all() const { return count_ == 0; }
  /// The window for a deploy of `selected` hosts: min(count, selected), or selected for ALL.
  std::size_t window(std::size_t selected) const;
  /// The configured count; meaningless for all_hosts().
  std::size_t count() const { return count_; }

  bool operator==(const Concurrency&) const = default;

 private:
  explicit Concurrency(std::size_t count) : count_(count) {}
  std::size_t count_;  // 0 = all hosts
};

struct SpeedSettings {
  Concurrency concurrency = Concurrency::hosts(5);
  Duration stop_timeout{std::chrono::seconds(35)};  // graceful stop before the kill
  HaltThreshold halt = HaltThreshold::over_fraction(0.10);
  // The storm window: host starts are spread evenly over it in a random order
  // (core/start_slots.h); 0 starts every host as soon as the concurrency allows.
  Duration jitter{0};
  Duration settle{std::chrono::seconds(10)};      // the new container must stay running this long
  bool login_poll = true;                         // the agent polls the login probe after the swap
  Duration login_wait{std::chrono::seconds(25)};  // how long that poll may take per host
  // At most this many bots start (and log in) per second, whatever the speed; unset: no cap.
  std::optional<std::size_t> login_rate;

  bool operator==(const SpeedSettings&) const = default;
};

/// The guide's numbers for `speed`.
SpeedSettings default_speed_settings(SpeedName speed);

/// Configuration overrides for one speed, field by field; unset fields keep the default.
struct SpeedOverrides {
  std::optional<Concurrency> concurrency;
  std::optional<Duration> stop_timeout;
  std::optional<HaltThreshold> halt;
  std::optional<Duration> jitter;
  std::optional<Duration> settle;
  std::optional<bool> login_poll;
  std::optional<Duration> login_wait;
  std::optional<std::size_t> login_rate;
};

/// `base` with `overrides` applied. Throws InputError (where = "speeds.<name>") for negative
/// durations and a login rate of 0.
SpeedSettings apply_overrides(SpeedName speed, SpeedSettings base, const SpeedOverrides& overrides);

/// The three speeds' settings, defaults unless configured otherwise.
struct SpeedTable {
  SpeedSettings routine = default_speed_settings(SpeedName::routine);
  SpeedSettings fast = default_speed_settings(SpeedName::fast);
  SpeedSettings immediate = default_speed_settings(SpeedName::immediate);

  const SpeedSettings& operator[](SpeedName speed) const;
  SpeedSettings& operator[](SpeedName speed);
};

/// "35s", "5s", "300s": how the speed table and plan print a duration (whole seconds, rounded up).
std::string format_seconds(Duration d);

}  // namespace drover::core
