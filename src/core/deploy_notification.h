#pragma once
// What drover tells the team about a deploy or a rollback, where the team looks: the event as a
// value, and the two ways a webhook can take it (drover.toml [notify], cli/config/notify.h):
//
//   slack  Slack's incoming-webhook JSON, {"text": "…"}, a readable message:
//            drover deploy 6ca32b16 finished: VERIFICATION FAILED (exit 5) · fleet tradebot ·
//            alice@ops-1
//            image 127.0.0.1:5000/tradebot:v2 (127.0.0.1:5000/tradebot@sha256:…)
//            speed routine · ALL production bots · 3 hosts, 6 bots
//            hosts: 3/3 ok, 0 failed, 0 not started
//            verification: 5/6 on version, 5/6 logged in
//            stale (old image): 0 · down: 1 -> bot8102 (crash-looping on …) · not logged in: 0
//   json   one JSON document of the same facts (docs/json.md, "Notifications").
//
// Events: started (or resumed), halted (the error halt stopped new hosts), interrupted (the
// operator did), finished (the result, verification and exit code). Pure: no clock, no I/O.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/deploy_plan.h"
#include "core/exit_code.h"
#include "core/rollout_result.h"
#include "core/straggler_retry.h"
#include "core/verification.h"

namespace drover::core {

enum class DeployEventKind { started, halted, interrupted, finished };

/// "started", "halted", "interrupted", "finished".
std::string_view to_string(DeployEventKind kind);

struct DeployEvent {
  DeployEventKind kind = DeployEventKind::started;
  const DeployPlan* plan = nullptr;         // never null; outlives the event
  std::string operator_name;                // "alice@ops-1"
  std::string at;                           // RFC 3339, when it happened
  bool resumed = false;                     // a `--resume` of an earlier run
  std::optional<RolloutProgress> progress;  // halted, interrupted: where the rollout stood
  // finished:
  std::optional<RolloutResult> result;
  std::optional<VerificationReport> verification;
  std::optional<StragglerRetryResult> retry;
  std::optional<ExitCode> exit_code;
};

/// The Slack message text (Slack's &, < and > escaped), lines separated by '\n'.
std::string slack_text(const DeployEvent& event);
/// {"text": slack_text(event)}: an incoming webhook's body.
nlohmann::json slack_message(const DeployEvent& event);
/// The facts as one JSON document.
nlohmann::json notification_document(const DeployEvent& event);

}  // namespace drover::core
