#pragma once
// The text of `drover history` and `drover show ID`, made from deploys read back from the
// journal (state/stored_deploy.h). Pure: records in, text out; no file, clock or terminal.
// Everything quoted from a journal is escaped (core::printable), since a journal is a file
// anyone with access to the state directory could have edited.
//
// drover history:
//   DEPLOY ID                             STARTED               TARGET  SPEED    IMAGE   …
//   6ca32b16-367e-4372-8a33-6dd9442ed2c3  2026-06-12T10:00:00Z  all     routine  …:v2    …
// with columns DIGEST (sha256 prefix), HOSTS (ok/failed/total), RESULT (success, failed,
// halted, interrupted, "verify failed (exit 5|6)" when every host succeeded but verification
// did not, or "unfinished" when no result was written), OPERATOR. A rollback's IMAGE reads
// "(rollback)" (or "(rollback --to <id>)") and its DIGEST the one digest it went back to, or
// how many.
#include <cstddef>
#include <string>
#include <vector>

#include "cli/state/stored_deploy.h"

namespace drover::cli {

/// Hosts of the plan by their latest journal record.
struct HostTally {
  std::size_t ok = 0;
  std::size_t failed = 0;
  std::size_t not_finished = 0;  // no record: never started, or drover stopped meanwhile
  std::size_t total = 0;
};
HostTally tally_hosts(const core::JournalReplay& replay);

/// The history table for `deploys` (already newest first): a header and at most `max_rows`
/// rows, then "… N older deploy(s) not shown" when some were cut. Each line ends in '\n'.
std::string render_history_table(const std::vector<StoredDeploy>& deploys, std::size_t max_rows);

/// `drover show ID`: who and when, the plan box, every planned host with its latest outcome,
/// reason and duration, each bot's step durations (when its agent reported them), the result (or
/// how to resume when there is none), and the verification report with the straggler retry. Each
/// line ends in '\n'.
std::string render_deploy_details(const StoredDeploy& deploy);

}  // namespace drover::cli
