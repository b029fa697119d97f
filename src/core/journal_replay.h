#pragma once
// Reading a deploy's journal back: what `--resume`, `history` and `show` need.
// A resumed deploy appends to the same journal, so a host may appear more than once and
// there may be several results: the latest record of each kind wins.
// A crash can leave the last line half-written; that one line is ignored (torn_tail) and
// everything before it is trusted. Any other unreadable line is an error.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/journal_record.h"

namespace drover::core {

struct JournalReplay {
  DeployPlan plan;
  std::vector<HostRecord> hosts;                    // every host record, in journal order
  std::set<HostName> succeeded_hosts;               // hosts whose latest record is a success
  std::optional<JournalVerification> verification;  // the latest
  std::optional<JournalResult> result;              // the latest
  bool torn_tail = false;
  /// The highest "seq" of its plan and host records: where the journal's latest activity
  /// stands in the fleet's history (0 for journals written before the counter existed).
  std::int64_t last_sequence = 0;

  /// True once a result was written: the deploy ended (in any way) rather than crashed.
  bool ended() const { return result.has_value(); }
  /// Plan hosts whose latest record is not a success: what `--resume` would deploy.
  std::vector<HostName> hosts_to_resume() const;
};

/// Replays a journal's text. Throws JournalError "line N: …" when the first record is not
/// the plan, or a line other than a torn last one cannot be read.
JournalReplay replay_journal(std::string_view text);

}  // namespace drover::core
