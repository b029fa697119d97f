#include "core/live_bar.h"

#include <fmt/format.h>

#include "core/rollout_text.h"
#include "core/text_columns.h"

namespace drover::core {
namespace {

constexpr std::string_view kSeparator = " · ";
constexpr std::size_t kMinCells = 5;

// "2s", "<1s" for a slot less than a second away, "1m05s" past a minute.
std::string format_wait(Duration wait) {
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  if (wait < std::chrono::seconds(1)) {
    return "<1s";
  }
  if (seconds < 60) {
    return fmt::format("{}s", seconds);
  }
  return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
}

// "host-7 pull, host-9 settle +3" in at most `room` code points; "5 in flight" when not even
// one host fits with the count of the others; empty when that does not fit either.
std::string in_flight_text(const std::vector<InFlightHost>& hosts, std::size_t room) {
  std::string shown;
  std::size_t count = 0;
  for (const auto& host : hosts) {
    auto next = fmt::format("{}{} {}", count == 0 ? "" : ", ", host.host, host.step);
    const auto rest = hosts.size() - count - 1;
    const auto more = rest == 0 ? std::string() : fmt::format(" +{}", rest);
    if (display_width(shown + next + more) > room) {
      break;
    }
    shown += next;
    ++count;
  }
  if (count == hosts.size()) {
    return shown;
  }
  if (count > 0) {
    return shown + fmt::format(" +{}", hosts.size() - count);
  }
  auto only_count = fmt::format("{} in flight", hosts.size());
  return display_width(only_count) <= room ? only_count : "";
}

}  // namespace

std::string fit_text(const std::string& text, std::size_t max) {
  if (display_width(text) <= max) {
    return text;
  }
  if (max == 0) {
    return "";
  }
  // Keep max - 1 code points, then the ellipsis.
  std::string out;
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) != 0x80) {
      if (points == max - 1) {
        break;
      }
      ++points;
    }
    out += text[i];
  }
  return out + "…";
}

std::string render_live_bar(const LiveBar& bar, std::size_t width) {
  const std::size_t max = width > 1 ? width - 1 : 0;
  const auto counts = render_progress_counts(bar.progress);
  const auto hosts_errors =
      fmt::format("{}/{} hosts · {} error{}", bar.progress.finished, bar.progress.total,
                  bar.progress.failed, bar.progress.failed == 1 ? "" : "s");
  // The stats, the longest that fits: all of them; without the elapsed time; without the ETA;
  // the bare counts.
  std::string stats;
  for (const auto& candidate :
       {counts + std::string(kSeparator) + bar.eta,
        hosts_errors + std::string(kSeparator) + bar.eta, counts, hosts_errors,
        fmt::format("{}/{} · {} failed", bar.progress.finished, bar.progress.total,
                    bar.progress.failed)}) {
    stats = candidate;
    if (display_width(stats) <= max) {
      break;
    }
  }
  if (display_width(stats) > max) {
    return fit_text(stats, max);
  }

  std::string line = stats;
  const auto stats_width = display_width(stats);
  // The cells: all 20 when they fit, else as many as fit down to kMinCells, else none.
  const std::size_t room_for_cells = max - stats_width;  // "[" cells "] "
  if (room_for_cells >= kProgressCells + 3) {
    line = render_progress_cells(bar.progress, kProgressCells) + " " + stats;
  } else if (room_for_cells >= kMinCells + 3) {
    line = render_progress_cells(bar.progress, room_for_cells - 3) + " " + stats;
  }
  // The next start slot ends the line; its room is kept before the hosts in flight take theirs
  // (they shrink to a count), so it shows whenever it fits after the stats.
  auto next_start =
      bar.progress.next_start_in
          ? fmt::format("{}next start in {}", kSeparator, format_wait(*bar.progress.next_start_in))
          : std::string();
  if (display_width(line + next_start) > max) {
    next_start.clear();
  }
  if (!bar.in_flight.empty()) {
    const auto used =
        display_width(line) + display_width(std::string(kSeparator)) + display_width(next_start);
    if (used < max) {
      auto hosts = in_flight_text(bar.in_flight, max - used);
      if (!hosts.empty()) {
        line += std::string(kSeparator) + hosts;
      }
    }
  }
  return line + next_start;
}

}  // namespace drover::core
