#include "cli/config/speeds.h"

#include <fmt/format.h>

#include <cmath>

#include "core/speed.h"

namespace drover::cli {
namespace {

constexpr double kMaxSeconds = 3600;  // the agent's own limit for every duration it is given

const Expected kSpeedTable{"a table of overrides", "[speeds.routine]  then  concurrency = 5"};
const Expected kConcurrency{"a number of hosts (at least 1), or \"all\"", "concurrency = 5"};
const Expected kStopTimeout{"whole seconds from 1 to 3600", "stop_timeout = 35"};
const Expected kHaltPercent{"a percentage from 0 to 100, or \"never\"", "halt_percent = 10"};
const Expected kSettle{"seconds from 1 to 3600", "settle = 10"};
const Expected kLoginWait{"seconds from 0 to 3600", "login_wait = 25"};
const Expected kJitter{"seconds from 0 to 3600", "jitter = 0"};
const Expected kLoginPoll{"true or false", "login_poll = true"};
const Expected kLoginRate{"whole bots per second from 1 to 100000", "login_rate = 10"};
constexpr std::int64_t kMaxLoginRate = 100'000;

Duration from_seconds(double seconds) {
  return Duration(static_cast<Duration::rep>(std::llround(seconds * 1000)));
}

std::optional<Duration> seconds(const ConfigTable& t, std::string_view key, const Expected& e,
                                double min) {
  auto value = t.number(key, e);
  if (!value) {
    return std::nullopt;
  }
  if (!std::isfinite(*value) || *value < min || *value > kMaxSeconds) {
    t.fail(key, fmt::format("expected {}, got {}", e.what, *value),
           fmt::format("write it like: {}", e.example));
  }
  return from_seconds(*value);
}

std::optional<core::Concurrency> concurrency(const ConfigTable& t, core::SpeedName speed) {
  const toml::node* node = t.find("concurrency");
  if (!node) {
    return std::nullopt;
  }
  const bool immediate = speed == core::SpeedName::immediate;
  if (node->is_string() && node->as_string()->get() == "all") {
    if (!immediate) {
      t.fail("concurrency",
             fmt::format("\"all\" is not allowed for {}: every host at once is what immediate is "
                         "for, and {} exists to keep the login storm small",
                         core::to_string(speed), core::to_string(speed)),
             "give a number of hosts, e.g. concurrency = 5");
    }
    return core::Concurrency::all_hosts();
  }
  if (!node->is_integer()) {
    t.wrong_type("concurrency", kConcurrency);
  }
  if (node->as_integer()->get() < 1) {
    t.fail("concurrency",
           fmt::format("expected {}, got {}", kConcurrency.what, node->as_integer()->get()),
           "write it like: concurrency = 5");
  }
  if (immediate) {
    t.fail("concurrency",
           "immediate always runs every host at once; a number of hosts at a time is what "
           "routine and fast are for",
           "remove concurrency from [speeds.immediate], or deploy with routine or fast");
  }
  return core::Concurrency::hosts(static_cast<std::size_t>(node->as_integer()->get()));
}

std::optional<core::HaltThreshold> halt(const ConfigTable& t, core::SpeedName speed) {
  const toml::node* node = t.find("halt_percent");
  if (!node) {
    return std::nullopt;
  }
  const bool immediate = speed == core::SpeedName::immediate;
  if (node->is_string() && node->as_string()->get() == "never") {
    if (!immediate) {
      t.fail("halt_percent",
             fmt::format("\"never\" is not allowed for {}: a rollout that never halts on errors "
                         "is immediate; {} must stop a bad image early",
                         core::to_string(speed), core::to_string(speed)),
             "give a percentage, e.g. halt_percent = 10");
    }
    return core::HaltThreshold::never();
  }
  auto percent = t.number("halt_percent", kHaltPercent);
  if (!std::isfinite(*percent) || *percent < 0 || *percent > 100) {
    t.fail("halt_percent", fmt::format("expected {}, got {}", kHaltPercent.what, *percent),
           "write it like: halt_percent = 10");
  }
  if (immediate) {
    t.fail("halt_percent",
           "immediate never halts: it is the emergency speed that must reach every host",
           "remove halt_percent from [speeds.immediate], or deploy with routine or fast");
  }
  return core::HaltThreshold::over_fraction(*percent / 100.0);
}

core::SpeedOverrides read_overrides(const ConfigTable& t, core::SpeedName speed) {
  t.allow_only({"concurrency", "stop_timeout", "halt_percent", "settle", "login_poll", "login_wait",
                "jitter", "login_rate"});
  core::SpeedOverrides o;
  o.concurrency = concurrency(t, speed);
  if (auto stop = t.integer("stop_timeout", kStopTimeout)) {
    if (*stop < 1 || *stop > static_cast<std::int64_t>(kMaxSeconds)) {
      t.fail("stop_timeout", fmt::format("expected {}, got {}", kStopTimeout.what, *stop),
             "write it like: stop_timeout = 35");
    }
    o.stop_timeout = std::chrono::seconds(*stop);
  }
  o.halt = halt(t, speed);
  o.settle = seconds(t, "settle", kSettle, 1);
  o.login_poll = t.boolean("login_poll", kLoginPoll);
  o.login_wait = seconds(t, "login_wait", kLoginWait, 0);
  o.jitter = seconds(t, "jitter", kJitter, 0);
  if (auto rate = t.integer("login_rate", kLoginRate)) {
    if (*rate < 1 || *rate > kMaxLoginRate) {
      t.fail("login_rate", fmt::format("expected {}, got {}", kLoginRate.what, *rate),
             "write it like: login_rate = 10, or remove it for no cap");
    }
    o.login_rate = static_cast<std::size_t>(*rate);
  }

  if (speed == core::SpeedName::immediate) {
    if (o.login_poll.value_or(false)) {
      t.fail("login_poll", "immediate skips the login poll: every bot logs in at once anyway",
             "remove login_poll from [speeds.immediate]; `drover verify` reports logins later");
    }
    if (o.login_wait && o.login_wait->count() > 0) {
      t.fail("login_wait", "immediate skips the login poll, so it has no login wait",
             "remove login_wait from [speeds.immediate]");
    }
  } else if (o.login_poll == false && o.login_wait && o.login_wait->count() > 0) {
    t.fail("login_wait", "a login wait has no effect with login_poll = false",
           "remove login_wait, or set login_poll = true");
  }
  return o;
}

}  // namespace

core::SpeedTable read_speed_table(const std::optional<ConfigTable>& speeds) {
  core::SpeedTable table;
  if (!speeds) {
    return table;
  }
  speeds->allow_only({"routine", "fast", "immediate"});
  for (auto speed : {core::SpeedName::routine, core::SpeedName::fast, core::SpeedName::immediate}) {
    auto section = speeds->table(core::to_string(speed), kSpeedTable);
    if (!section) {
      continue;
    }
    table[speed] = core::apply_overrides(speed, table[speed], read_overrides(*section, speed));
  }
  return table;
}

}  // namespace drover::cli
