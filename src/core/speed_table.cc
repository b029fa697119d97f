#include "core/speed_table.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "core/bot_id.h"
#include "core/duration_estimate.h"
#include "core/input_error.h"
#include "core/printable_text.h"
#include "core/text_columns.h"

namespace drover::core {

namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    return "";
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string header(const Selection& selection) {
  const auto hosts = selection.hosts.size();
  const auto bots = selection.bot_count();
  switch (selection.target.kind) {
    case TargetKind::all:
      return fmt::format("Deploy speed for ALL {} production hosts (~{} bots):", hosts, bots);
    case TargetKind::staging:
      return fmt::format("Deploy speed for {} staging host(s) (~{} bots):", hosts, bots);
    case TargetKind::bot:
      return fmt::format("Deploy speed for {} on {}:", bot_name(selection.target.bot.value_or(0)),
                         selection.hosts.empty() ? "?" : selection.hosts.front().name);
  }
  return "";
}

}  // namespace

std::string format_halt(const HaltThreshold& halt) {
  if (halt.is_never()) {
    return "never";
  }
  return fmt::format("{:g}%", halt.fraction() * 100.0);
}

std::size_t simultaneous_logins(const SpeedSettings& speed, std::size_t hosts, std::size_t bots) {
  if (hosts == 0) {
    return 0;
  }
  const auto window = speed.concurrency.window(hosts);
  if (window >= hosts) {
    return bots;
  }
  const double per_host = static_cast<double>(bots) / static_cast<double>(hosts);
  return static_cast<std::size_t>(std::llround(per_host * static_cast<double>(window)));
}

std::string render_speed_table(const SpeedTable& speeds, const Selection& selection) {
  const auto hosts = selection.hosts.size();
  const auto bots = selection.bot_count();
  std::vector<std::vector<std::string>> rows = {
      {"speed", "hosts/at", "~logins", "stop", "halt-errs", "est. time"}};
  std::vector<SpeedName> offered = {SpeedName::routine, SpeedName::fast};
  if (selection.target.kind == TargetKind::all) {
    offered.push_back(SpeedName::immediate);
  }
  for (SpeedName name : offered) {
    const SpeedSettings& speed = speeds[name];
    rows.push_back({std::string(to_string(name)),
                    speed.concurrency.is_all() ? "ALL" : std::to_string(speed.concurrency.count()),
                    fmt::format("~{}", simultaneous_logins(speed, hosts, bots)),
                    format_seconds(speed.stop_timeout), format_halt(speed.halt),
                    format_estimate(estimate_duration(speed, hosts))});
  }
  return header(selection) + "\n" + render_columns(rows, "  ", 2);
}

std::string speed_prompt(TargetKind target) {
  return target == TargetKind::all ? "choose 1=routine 2=fast 3=immediate: "
                                   : "choose 1=routine 2=fast: ";
}

SpeedName parse_speed_choice(std::string_view answer, TargetKind target) {
  const std::string choice = trim(answer);
  SpeedName speed = kDefaultSpeed;
  if (choice.empty()) {
    speed = kDefaultSpeed;
  } else if (choice == "1") {
    speed = SpeedName::routine;
  } else if (choice == "2") {
    speed = SpeedName::fast;
  } else if (choice == "3") {
    speed = SpeedName::immediate;
  } else if (choice == "routine" || choice == "fast" || choice == "immediate") {
    speed = parse_speed(choice);
  } else {
    throw InputError("speed choice",
                     fmt::format("'{}' is not one of the choices", printable(choice)),
                     target == TargetKind::all ? "type 1, 2 or 3 (or press Enter for routine)"
                                               : "type 1 or 2 (or press Enter for routine)");
  }
  check_speed_allowed(speed, target);
  return speed;
}

}  // namespace drover::core
