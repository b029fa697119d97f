#pragma once
// The agent protocol, report side: the one JSON document drover-agent prints as the last line
// of its stdout, as values, with the one writer (drover-agent) and the one reader (drover).
// Requests are agent_request.h. Every key and every enum spelling below is written here and
// nowhere else; a round-trip test (tests/unit/core_agent_protocol_test.cc) covers each field.
//
// swap:     {"command":"swap","host":"…","ok":true,"error":null,"jitter_ms":0,
//            "free_bytes_before":123|null,
//            "image":{"ref":"…","id":"sha256:…"|null,"repo_digest":"repo@sha256:…"|null},
//            "recovered":[{"bot":539,"action":"removed_prev|…","detail":"…"|null}],
//            "bots":[{"bot":539,"outcome":"swapped|unchanged|rolled_back|failed",
//                     "reason":…|null,"image_id":…|null,"repo_digest":…|null,
//                     "created_from_template":false,
//                     "from":{"ref":"…","image_id":…|null,"repo_digest":…|null}|null,
//                     "timings_ms":{"pull":…,"create":…,"stop":…,"start":…,"settle":…,
//                                   "cleanup":…,"prune":…,"login":…,"downtime":…},
//                     "login":"logged_in|not_logged_in|unknown","login_detail":…|null}],
//            "prune":{"space_reclaimed":123,"images_deleted":2,"error":null}}
// status:   {"command":"status","host":"…","ok":true,"error":null,
//            "bots":[{"bot":539,"present":true,"running":true,"state":"running"|null,
//                     "exit_code":0,"image":"repo@sha256:…"|null,"health":"healthy"|null,
//                     "restart_count":0,"image_id":"sha256:…"|null,
//                     "repo_digests":["…"],"matches_expected":true|null,
//                     "prev_left_over":false,"login":"logged_in","login_detail":"…"|null,
//                     "error":null}]}
// recover:  {"command":"recover","host":"…","ok":true,"error":null,
//            "bots":[{"bot":539,"action":"none|removed_next|removed_prev|restored_prev|started|
//                              failed|absent",
//                     "detail":…|null}]}
// baseline: {"command":"baseline","host":"…","root":"/","ok":true,"agent_version":"0.1.0",
//            "agent_sha256":"…","checks":[{"check":"docker_on_boot","ok":true,"detail":"…",
//                     "found":"enabled","fixable":false,"fixed":false}]}
// version:  {"command":"version","host":"…","ok":true,"version":"0.1.0","sha256":"…"}
// any command that could not run: {"command":"…","host":"…","ok":false,"bots":[],"error":"…"}
//
// An empty string is written as null and read back as empty. Reading is strict where a
// mistake would mislead the operator (command, ok, bot ids, swap outcomes, recover actions,
// present/running/matches_expected, a baseline's checks) and lenient where the field is
// informational (an unknown login value reads as unknown; missing timings read as 0; unknown
// keys are ignored so a newer agent still talks to an older drover).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot_id.h"
#include "core/swap_timings.h"

namespace drover::core {

/// The agent printed something that is not the report it should have: the host counts as
/// failed with FailureKind::bad_output. what() says which field was wrong.
class AgentOutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class LoginState { logged_in, not_logged_in, unknown };
std::string_view to_string(LoginState state);
/// "logged_in" | "not_logged_in"; anything else → unknown.
LoginState parse_login_state(std::string_view text);

enum class BotSwapOutcome {
  swapped,      // bot<ID> runs the new image and was confirmed up
  unchanged,    // bot<ID> already ran the new image: not touched
  rolled_back,  // the new container did not stay up: the old one runs again ("stale")
  failed,       // the swap could not be done; the reason says what to do
};
std::string_view to_string(BotSwapOutcome outcome);
std::optional<BotSwapOutcome> parse_bot_swap_outcome(std::string_view text);

/// What `recover` (alone, or as a swap's first step) did for one bot.
enum class RecoverAction {
  none,           // nothing was half-done
  removed_next,   // bot<ID> runs; only an unstarted bot<ID>-next was left over, and removed
  removed_prev,   // bot<ID> is up: the leftover bot<ID>-prev was removed
  restored_prev,  // bot<ID> was missing or not up: bot<ID>-prev became bot<ID> again
  started,        // bot<ID> existed but was stopped: started it
  failed,         // could not get the bot running; the detail says why
  absent,         // neither bot<ID> nor bot<ID>-prev exists
};
std::string_view to_string(RecoverAction action);
std::optional<RecoverAction> parse_recover_action(std::string_view text);

// ---------------------------------------------------------------- swap

/// What a bot ran before a swap touched it: the reference its container was created from, the
/// image it ran and that image's registry digest (repo@sha256:…), which is what brings it back
/// once the image is pruned. An empty repo_digest means the image never came from a registry
/// (built on the host): nothing can pull it again.
struct PreviousImage {
  std::string ref;
  std::string image_id;
  std::string repo_digest;

  bool operator==(const PreviousImage&) const = default;
};

struct BotSwapResult {
  BotId bot = 0;
  BotSwapOutcome outcome = BotSwapOutcome::failed;
  std::string reason;       // empty on a clean swap; a warning or the cause otherwise
  std::string image_id;     // the image bot<ID> runs now
  std::string repo_digest;  // its repo@sha256 digest, when known
  bool created_from_template = false;
  /// What bot<ID> ran before this swap; unset when it had no container (created from the
  /// template) or the agent could not read it.
  std::optional<PreviousImage> from;
  SwapTimings timings;
  LoginState login = LoginState::unknown;
  std::string login_detail;

  bool operator==(const BotSwapResult&) const = default;
};

struct SwapImage {
  std::string ref;          // as the agent was asked for it
  std::string id;           // empty when the pull failed
  std::string repo_digest;  // the digest of `ref`'s repository, when known

  bool operator==(const SwapImage&) const = default;
};

struct RecoveredBot {
  BotId bot = 0;
  RecoverAction action = RecoverAction::none;
  std::string detail;

  bool operator==(const RecoveredBot&) const = default;
};

struct SwapReport {
  std::string host;
  bool ok = false;
  std::optional<SwapImage> image;  // null only from agents that did not say
  std::int64_t jitter_ms = 0;
  std::optional<std::int64_t> free_bytes_before;  // unset when the disk could not be read
  std::vector<RecoveredBot> recovered;            // the leftovers repaired first
  std::vector<BotSwapResult> bots;
  std::int64_t space_reclaimed = 0;  // by the prune after the swap
  std::int64_t images_deleted = 0;
  std::string prune_error;
  std::optional<std::string> error;  // a host-wide failure before any bot was touched

  bool operator==(const SwapReport&) const = default;
};

// ---------------------------------------------------------------- status

struct BotStatus {
  BotId bot = 0;
  bool present = false;  // a container named bot<ID> exists
  bool running = false;  // running and not restarting (a crash loop between restarts is not)
  std::string state;     // Docker's status: running, restarting, exited, created, paused…
  int exit_code = 0;     // its last exit code
  std::string image;     // the reference it was created from (repo@sha256:… after a deploy)
  std::string health;    // Docker's health status, when the image has a check
  int restart_count = 0;
  std::string image_id;
  std::vector<std::string> repo_digests;
  /// Runs the image the request expected; unset when none was given. Read as required for a
  /// present bot: drover always asks with an image.
  std::optional<bool> on_expected_image;
  bool prev_left_over = false;  // a bot<ID>-prev exists: a swap was interrupted
  LoginState login = LoginState::unknown;
  std::string login_detail;
  std::string error;  // the engine failed to answer for this bot

  bool operator==(const BotStatus&) const = default;
};

struct StatusReport {
  std::string host;
  bool ok = false;
  std::vector<BotStatus> bots;
  std::optional<std::string> error;

  bool operator==(const StatusReport&) const = default;
};

// ---------------------------------------------------------------- recover

struct RecoverReport {
  std::string host;
  bool ok = false;
  std::vector<RecoveredBot> bots;
  std::optional<std::string> error;

  bool operator==(const RecoverReport&) const = default;
};

// ---------------------------------------------------------------- baseline

/// One host safeguard (agent/baseline.h says what each check looks at).
struct BaselineCheck {
  std::string check;     // docker_on_boot | resolv_conf_mode | docker_log_rotation | disk_free
  bool ok = false;       // the host is fine now (after the fix, when one was made)
  bool fixable = false;  // the problem found is one --fix repairs (false when there was none)
  bool fixed = false;    // --fix repaired it: ok now because of a change made by this run
  // What the check found before any fix, in a word or two, for drover's fleet table
  // ("enabled", "0640", "max-size 10m", "12.3 GiB"); "unknown" when it could not look;
  // empty from agents older than the field.
  std::string found;
  std::string detail;  // what was found and, when not ok, what to do

  bool operator==(const BaselineCheck&) const = default;
};

struct BaselineReport {
  std::string host;
  std::string root;  // the directory the host's / was at
  bool ok = false;
  std::string agent_version;  // who answered, so drover's table shows drift without a 2nd call
  std::string agent_sha256;
  std::vector<BaselineCheck> checks;

  bool operator==(const BaselineReport&) const = default;
};

// ---------------------------------------------------------------- version

struct VersionReport {
  std::string host;
  std::string version;  // "0.1.0"
  std::string sha256;   // of the binary that answered

  bool operator==(const VersionReport&) const = default;
};

// ---------------------------------------------------------------- writing (drover-agent)

nlohmann::json to_json(const SwapReport& report);
nlohmann::json to_json(const StatusReport& report);
nlohmann::json to_json(const RecoverReport& report);
nlohmann::json to_json(const BaselineReport& report);
nlohmann::json to_json(const VersionReport& report);
/// A command that could not run at all (bad arguments, engine down): `ok` false, `error` set.
nlohmann::json error_report(std::string_view command, std::string_view host,
                            std::string_view error);

// ---------------------------------------------------------------- reading (drover)

/// The last non-blank line of the agent's stdout (it may log progress lines before it).
/// Throws AgentOutputError when there is none.
std::string_view last_report_line(std::string_view stdout_text);

/// Each throws AgentOutputError naming the field that is wrong (or "not JSON" for a line).
SwapReport parse_swap_report(std::string_view line);
SwapReport read_swap_report(const nlohmann::json& document);
StatusReport parse_status_report(std::string_view line);
StatusReport read_status_report(const nlohmann::json& document);
RecoverReport read_recover_report(const nlohmann::json& document);
BaselineReport read_baseline_report(const nlohmann::json& document);
/// Lenient: any field that is missing or not a string reads as empty (a `version` answered
/// oddly is the drift guard's to judge, not a parse error).
VersionReport read_version_report(const nlohmann::json& document);

}  // namespace drover::core
