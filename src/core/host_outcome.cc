#include "core/host_outcome.h"

#include <utility>

namespace drover::core {

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::none:
      return "none";
    case FailureKind::bot_failed:
      return "bot_failed";
    case FailureKind::unreachable:
      return "unreachable";
    case FailureKind::timed_out:
      return "timed_out";
    case FailureKind::agent_error:
      return "agent_error";
    case FailureKind::bad_output:
      return "bad_output";
  }
  return "agent_error";
}

FailureKind parse_failure_kind(std::string_view text) {
  for (auto kind : {FailureKind::none, FailureKind::bot_failed, FailureKind::unreachable,
                    FailureKind::timed_out, FailureKind::agent_error, FailureKind::bad_output}) {
    if (to_string(kind) == text) {
      return kind;
    }
  }
  return FailureKind::agent_error;
}

HostOutcome HostOutcome::success(std::string summary) {
  return {HostStatus::succeeded, FailureKind::none, std::move(summary)};
}

HostOutcome HostOutcome::failure(FailureKind kind, std::string reason) {
  if (kind == FailureKind::none) {
    kind = FailureKind::agent_error;
  }
  if (reason.empty()) {
    reason = std::string(to_string(kind));
  }
  return {HostStatus::failed, kind, std::move(reason)};
}

}  // namespace drover::core
