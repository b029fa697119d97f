#pragma once
// How one host's part of a rollout ended, as the scheduler and the journal see it.
// A host succeeded only when the agent answered and every selected bot was swapped (or was
// already on the image). Everything else is a failure: a bot rolled back or failed, the host
// was unreachable, the agent timed out, errored, or printed something unparseable.
// Invariant: a failure always has a non-empty reason an operator can act on.
#include <optional>
#include <string>
#include <string_view>

namespace drover::core {

enum class HostStatus { succeeded, failed };

/// "succeeded" | "failed" (the journal's spelling).
std::string_view to_string(HostStatus status);
/// Inverse of to_string; nullopt for any other text.
std::optional<HostStatus> parse_host_status(std::string_view text);

/// Why a host failed; transport problems collapse into these few kinds.
enum class FailureKind { none, bot_failed, unreachable, timed_out, agent_error, bad_output };

/// "bot_failed", "unreachable", … (the journal's spelling); "none" for success.
std::string_view to_string(FailureKind kind);
/// Inverse of to_string; unknown text → agent_error (journals from newer versions stay readable).
FailureKind parse_failure_kind(std::string_view text);

struct HostOutcome {
  HostStatus status = HostStatus::succeeded;
  FailureKind kind = FailureKind::none;
  std::string reason;  // for failures: what went wrong; for successes: an optional summary

  static HostOutcome success(std::string summary = {});
  /// A failure; an empty reason is replaced by the kind's name so the invariant holds.
  static HostOutcome failure(FailureKind kind, std::string reason);

  bool ok() const { return status == HostStatus::succeeded; }
  bool operator==(const HostOutcome&) const = default;
};

}  // namespace drover::core
