#pragma once
// drover's process exit codes: distinct per way a deploy can end, so automation can branch
// on them without parsing text. The values are part of the documented interface; never
// renumber one. 1 is left to "unexpected internal error" (an exception nobody planned for).
namespace drover::core {

enum class ExitCode : int {
  success = 0,
  usage_error = 2,          // bad arguments or configuration; nothing was touched
  refused = 3,              // the operator did not confirm the plan; nothing was touched
  halted = 4,               // the error halt stopped the rollout, or the operator interrupted it
  stale_or_down = 5,        // verification found bots on the old image or without a container
  still_not_logged_in = 6,  // every bot is on-version but some never logged into Steam
  lock_held = 7,            // another deploy holds this fleet's lock
  // A fleet check found hosts needing attention: `drover baseline` (a safeguard is off, an
  // agent is drifted or missing, a host did not answer), `drover drift`, or the drift preflight
  // of `drover deploy` (which then touched nothing).
  needs_attention = 8,
  // A file of drover's state (the state directory, a deploy journal, the lock file) could not
  // be read or written: a full disk, a permission, a damaged journal. The message names the
  // file; a deploy that meets one starts no new host and names the hosts it could not record.
  storage_failed = 9,
};

/// An interrupted deploy ends like a halted one: some hosts were deliberately not started.
inline constexpr ExitCode kInterrupted = ExitCode::halted;

constexpr int to_int(ExitCode code) {
  return static_cast<int>(code);
}

}  // namespace drover::core
