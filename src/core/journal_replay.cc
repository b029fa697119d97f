#include "core/journal_replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

namespace drover::core {

std::vector<HostName> JournalReplay::hosts_to_resume() const {
  std::vector<HostName> remaining;
  for (const auto& host : plan.selection.hosts) {
    if (succeeded_hosts.count(host.name) == 0) {
      remaining.push_back(host.name);
    }
  }
  return remaining;
}

JournalReplay replay_journal(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      lines.push_back(line);
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  // A line without its '\n' at the very end is one the writer may not have finished.
  const bool last_unterminated = !text.empty() && text.back() != '\n';

  JournalReplay replay;
  bool have_plan = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    JournalRecord record;
    try {
      record = parse_journal_line(lines[i]);
    } catch (const JournalError& e) {
      if (i + 1 == lines.size() && last_unterminated) {
        replay.torn_tail = true;
        break;
      }
      throw JournalError(fmt::format("line {}: {}", i + 1, e.what()));
    }
    if (!have_plan && !std::holds_alternative<JournalPlan>(record)) {
      throw JournalError(fmt::format("line {}: journal: the first record must be the plan", i + 1));
    }
    std::visit(
        [&](auto& r) {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, JournalPlan>) {
            if (have_plan) {
              throw JournalError(fmt::format("line {}: journal: a second plan record", i + 1));
            }
            replay.plan = std::move(r.plan);
            replay.last_sequence = std::max(replay.last_sequence, r.sequence);
            have_plan = true;
          } else if constexpr (std::is_same_v<T, JournalHost>) {
            if (r.record.outcome.ok()) {
              replay.succeeded_hosts.insert(r.record.host);
            } else {
              replay.succeeded_hosts.erase(r.record.host);
            }
            replay.last_sequence = std::max(replay.last_sequence, r.sequence);
            replay.hosts.push_back(std::move(r.record));
          } else if constexpr (std::is_same_v<T, JournalVerification>) {
            replay.verification = std::move(r);
          } else {
            replay.result = std::move(r);
          }
        },
        record);
  }
  if (!have_plan) {
    throw JournalError("journal: empty (no plan record)");
  }
  return replay;
}

}  // namespace drover::core
