#include "core/speed_settings.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/input_error.h"

namespace drover::core {

using std::chrono::seconds;

Concurrency Concurrency::hosts(std::size_t count) {
  if (count == 0) {
    throw InputError("concurrency", "0 hosts at a time would never start a host",
                     "give a count of at least 1, or \"all\"");
  }
  return Concurrency(count);
}

std::size_t Concurrency::window(std::size_t selected) const {
  return is_all() ? selected : std::min(count_, selected);
}

SpeedSettings default_speed_settings(SpeedName speed) {
  SpeedSettings s;
  switch (speed) {
    case SpeedName::routine:
      break;  // the struct's defaults are routine's
    case SpeedName::fast:
      s.concurrency = Concurrency::hosts(10);
      s.stop_timeout = seconds(20);
      break;
    case SpeedName::immediate:
      s.concurrency = Concurrency::all_hosts();
      s.stop_timeout = seconds(5);
      s.halt = HaltThreshold::never();
      s.jitter = seconds(60);
      s.settle = seconds(5);
      s.login_poll = false;
      s.login_wait = Duration(0);
      break;
  }
  return s;
}

SpeedSettings apply_overrides(SpeedName speed, SpeedSettings base,
                              const SpeedOverrides& overrides) {
  const auto where = fmt::format("speeds.{}", to_string(speed));
  auto duration = [&](const std::optional<Duration>& value, const char* key, Duration& field) {
    if (!value) {
      return;
    }
    if (value->count() < 0) {
      throw InputError(where, fmt::format("{} is negative", key),
                       "give a duration of zero or more seconds");
    }
    field = *value;
  };
  if (overrides.concurrency) {
    base.concurrency = *overrides.concurrency;
  }
  duration(overrides.stop_timeout, "stop", base.stop_timeout);
  if (overrides.halt) {
    base.halt = *overrides.halt;
  }
  duration(overrides.jitter, "jitter", base.jitter);
  duration(overrides.settle, "settle", base.settle);
  if (overrides.login_poll) {
    base.login_poll = *overrides.login_poll;
  }
  duration(overrides.login_wait, "login_wait", base.login_wait);
  if (overrides.login_rate) {
    if (*overrides.login_rate == 0) {
      throw InputError(where, "login_rate is 0: no bot would ever start",
                       "give at least 1 bot per second, or remove login_rate for no cap");
    }
    base.login_rate = overrides.login_rate;
  }
  return base;
}

const SpeedSettings& SpeedTable::operator[](SpeedName speed) const {
  switch (speed) {
    case SpeedName::routine:
      return routine;
    case SpeedName::fast:
      return fast;
    case SpeedName::immediate:
      return immediate;
  }
  return routine;
}

SpeedSettings& SpeedTable::operator[](SpeedName speed) {
  return const_cast<SpeedSettings&>(static_cast<const SpeedTable&>(*this)[speed]);
}

std::string format_seconds(Duration d) {
  // Whole seconds, rounded up: a 500 ms stop timeout is still "some time", never "0s".
  return fmt::format("{}s", (d.count() + 999) / 1000);
}

}  // namespace drover::core
