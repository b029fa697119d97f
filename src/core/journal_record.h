#pragma once
// The records of a deploy's append-only journal, one JSON object per line:
//   {"type":"plan", …}          first: the whole DeployPlan (what a resume re-runs), with a
//                               rollback's targets when it is one
//   {"type":"host", …}          one per finished host: outcome, reason, duration, and each
//                               bot's outcome with what it ran before (`from`) and its step
//                               durations ("timings_ms"; absent from journals written before
//                               the agent measured them)
//   {"type":"verification", …}  the verification report and the straggler retry, if any
//   {"type":"result", …}        last: the rollout result, exit code and finish time
// core only encodes and decodes; the CLI owns the file (state directory, fsync, locking).
// Every record carries "v": 1; a reader refuses other versions rather than misreading them.
// Plan and host records carry "seq": their place in the fleet's history, one counter over all
// of the fleet's journals (a resume's host records come after everything before the resume),
// which is what `drover rollback` orders deploys by. 0: written before the counter existed.
// Invariant: from_json(to_json(r)) == r for every record r.
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "core/deploy_plan.h"
#include "core/exit_code.h"
#include "core/rollout_result.h"
#include "core/straggler_retry.h"
#include "core/verification.h"

namespace drover::core {

inline constexpr int kJournalVersion = 1;

/// A journal line that cannot be read. what() names the field.
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct JournalPlan {
  DeployPlan plan;
  std::int64_t sequence = 0;
  bool operator==(const JournalPlan&) const = default;
};

struct JournalHost {
  HostRecord record;
  std::int64_t sequence = 0;
  bool operator==(const JournalHost&) const = default;
};

struct JournalVerification {
  VerificationReport report;
  std::optional<StragglerRetryResult> retry;
  bool operator==(const JournalVerification&) const = default;
};

struct JournalResult {
  RolloutResult result;
  ExitCode exit_code = ExitCode::success;
  std::string finished_at;  // RFC 3339, from the CLI's wall clock
  bool operator==(const JournalResult&) const = default;
};

using JournalRecord = std::variant<JournalPlan, JournalHost, JournalVerification, JournalResult>;

nlohmann::json to_json(const JournalRecord& record);
/// Throws JournalError for an unknown type, another version, or a malformed field.
JournalRecord journal_record_from_json(const nlohmann::json& json);

/// One line of the journal file: compact JSON and '\n'.
std::string to_journal_line(const JournalRecord& record);
/// Parses one line (with or without its '\n'). Throws JournalError.
JournalRecord parse_journal_line(std::string_view line);

/// The JSON forms of the parts, also used for the CLI's --json events.
nlohmann::json plan_to_json(const DeployPlan& plan);
nlohmann::json host_record_to_json(const HostRecord& record);
nlohmann::json bot_record_to_json(const BotRecord& bot);
nlohmann::json rollback_to_json(const RollbackSpec& rollback);
nlohmann::json verification_to_json(const VerificationReport& report);
nlohmann::json retry_to_json(const StragglerRetryResult& retry);
nlohmann::json result_to_json(const RolloutResult& result);

}  // namespace drover::core
