#pragma once
// The deploy journal on disk: one append-only JSON-lines file per deploy,
// <state>/<fleet>/deploys/<deploy-id>.jsonl, holding core's journal records (plan first,
// then hosts as they finish, verification, result; a resume appends to the same file).
// Next to it, <deploy-id>.origin.json: {"v":1,"deploy_id":…,"operator":"alice@ops-1",
// "command":"drover deploy all routine -y"}, written once.
//
// Order: the plan and every host record are stamped with the fleet's next sequence number
// ("seq", journal_record.h), one more than the highest in any of the fleet's journals when the
// journal is created or reopened, then counting up. The caller holds the fleet's lock, so no
// other drover writes a journal of this fleet meanwhile.
//
// Durability: each record is one write() of a whole line followed by fsync, and a new file's
// directory is fsynced, so a crash leaves only whole lines plus at most one torn last line.
// Readers ignore that torn line with a warning; reopening for a resume cuts it off first so
// the next record starts on a line of its own.
// Nothing secret is written: plans, outcomes and reasons only (the agent reports carry no
// credentials, and the caller must not pass any in DeployOrigin::command).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cli/state/durable_file.h"
#include "cli/state/state_dir.h"
#include "cli/state/stored_deploy.h"
#include "core/deploy_plan.h"
#include "core/journal_record.h"

namespace drover::cli {

/// One deploy's journal, open for appending. Move-only; closing needs no flush (every
/// append is already synced).
class DeployJournal {
 public:
  /// Creates the journal of a new deploy with `plan` as its first record, and its origin
  /// file. Throws StorageError if a journal of that id already exists or cannot be written
  /// (and then leaves neither file behind); std::invalid_argument if plan.deploy_id is not a
  /// deploy id.
  static DeployJournal create(const StateDir& dir, const core::DeployPlan& plan,
                              const DeployOrigin& origin);
  /// Opens an existing journal to append to it (`--resume`). A torn last line is removed.
  /// Throws core::InputError for a malformed or unknown id (as load_deploy).
  static DeployJournal reopen(const StateDir& dir, std::string_view deploy_id);

  /// Appends one record as one line, then fsync; a host record gets the next sequence number.
  /// Throws StorageError, and then the journal ends as it was before the call (no torn record).
  void append(const core::JournalRecord& record);
  /// Appends the host records of hosts that finished together, one line each, then one fsync
  /// for them all (a 10,000-host ssm deploy collects hundreds of hosts at once). Throws
  /// StorageError, and then none of them is recorded.
  void append_hosts(const std::vector<core::HostRecord>& records);

  const std::filesystem::path& path() const { return path_; }

 private:
  DeployJournal(std::filesystem::path path, UniqueFd fd, std::int64_t next_sequence)
      : path_(std::move(path)), fd_(std::move(fd)), next_sequence_(next_sequence) {}

  std::filesystem::path path_;
  UniqueFd fd_;
  std::int64_t next_sequence_;
};

/// Every readable deploy of the fleet, newest first (by the plan's created_at, then the latest
/// sequence number, then id).
/// A journal that cannot be read is left out with a warning rather than hiding the others.
struct DeployListing {
  std::vector<StoredDeploy> deploys;
  std::vector<std::string> warnings;
  /// The journals left out because they cannot be read (also among the warnings): what a
  /// rollback, which must not decide without them, refuses on.
  std::vector<std::string> unreadable;
};
DeployListing list_deploys(const StateDir& dir);

/// One deploy, for `drover show`, `--resume` and `rollback --to`. `deploy_id` is a whole id or
/// its first 8 or more characters (what `drover history` shows), naming exactly one journal.
/// Throws core::InputError when it is neither, names none or several, or has no journal (the fix
/// points to `drover history`), and core::JournalError ("<file>: line N: …") when the journal
/// cannot be read.
StoredDeploy load_deploy(const StateDir& dir, std::string_view deploy_id);

}  // namespace drover::cli
