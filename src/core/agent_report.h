#pragma once
// What drover-agent says it did, as parsed from the last line of its stdout.
//
// swap:   {"command":"swap","host":"…","ok":true,
//          "image":{"ref":"…","id":"sha256:…","repo_digest":"repo@sha256:…"},
//          "bots":[{"bot":539,"outcome":"swapped|unchanged|rolled_back|failed","reason":"…",
//                   "image_id":"sha256:…","repo_digest":"…",
//                   "timings_ms":{"pull":…,"stop":…,"start":…,"settle":…,"downtime":…},
//                   "login":"logged_in|not_logged_in|unknown"}],
//          "prune":{"space_reclaimed":123,"images_deleted":2},"error":null}
// status: {"command":"status","ok":true,
//          "bots":[{"bot":539,"present":true,"running":true,"state":"running","exit_code":0,
//                   "image":"repo@sha256:…","restart_count":0,
//                   "image_id":"sha256:…","repo_digests":["…"],"matches_expected":true,
//                   "login":"logged_in","login_detail":"…"}]}
//
// Parsing is strict where a mistake would mislead the operator (command, ok, bot ids, swap
// outcomes, present/running/matches_expected) and lenient where the field is informational
// (an unknown login value reads as unknown; missing timings read as 0; unknown keys are
// ignored so a newer agent still talks to an older drover).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot_id.h"

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

enum class BotSwapOutcome { swapped, unchanged, rolled_back, failed };
std::string_view to_string(BotSwapOutcome outcome);

struct SwapTimings {
  std::int64_t pull_ms = 0;
  std::int64_t stop_ms = 0;
  std::int64_t start_ms = 0;
  std::int64_t settle_ms = 0;
  std::int64_t downtime_ms = 0;
};

struct BotSwapResult {
  BotId bot = 0;
  BotSwapOutcome outcome = BotSwapOutcome::failed;
  std::string reason;
  std::string image_id;
  std::string repo_digest;
  SwapTimings timings;
  LoginState login = LoginState::unknown;
};

struct SwapImage {
  std::string ref;
  std::string id;
  std::string repo_digest;
};

struct SwapReport {
  std::string host;
  bool ok = false;
  std::optional<SwapImage> image;  // absent when the pull failed before anything was touched
  std::vector<BotSwapResult> bots;
  std::int64_t space_reclaimed = 0;
  std::int64_t images_deleted = 0;
  std::optional<std::string> error;
};

struct BotStatus {
  BotId bot = 0;
  bool present = false;  // a container named bot<ID> exists
  bool running = false;  // running and not restarting (a crash loop between restarts is not)
  std::string state;     // Docker's status: running, restarting, exited, created, paused…
  int exit_code = 0;     // its last exit code
  std::string image;     // the reference it was created from (repo@sha256:… after a deploy)
  int restart_count = 0;
  std::string image_id;
  std::vector<std::string> repo_digests;
  bool matches_expected = false;  // runs the image the deploy expects
  LoginState login = LoginState::unknown;
  std::string login_detail;
};

struct StatusReport {
  std::string host;
  bool ok = false;
  std::vector<BotStatus> bots;
  std::optional<std::string> error;
};

/// The last non-blank line of the agent's stdout (it may log progress lines before it).
/// Throws AgentOutputError when there is none.
std::string_view last_report_line(std::string_view stdout_text);

/// Parse one JSON line; throw AgentOutputError naming the field that is wrong.
SwapReport parse_swap_report(std::string_view line);
StatusReport parse_status_report(std::string_view line);

}  // namespace drover::core
