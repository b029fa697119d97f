#include "core/host_outcome.h"

#include <utility>

#include "core/name_table.h"

namespace drover::core {
namespace {

constexpr NameTable<HostStatus, 2> kHostStatusNames{{
    {HostStatus::succeeded, "succeeded"},
    {HostStatus::failed, "failed"},
}};
static_assert(covers_every_value(kHostStatusNames));

constexpr NameTable<FailureKind, 6> kFailureKindNames{{
    {FailureKind::none, "none"},
    {FailureKind::bot_failed, "bot_failed"},
    {FailureKind::unreachable, "unreachable"},
    {FailureKind::timed_out, "timed_out"},
    {FailureKind::agent_error, "agent_error"},
    {FailureKind::bad_output, "bad_output"},
}};
static_assert(covers_every_value(kFailureKindNames));

}  // namespace

std::string_view to_string(HostStatus status) {
  return name_of(kHostStatusNames, status);
}

std::optional<HostStatus> parse_host_status(std::string_view text) {
  return value_named(kHostStatusNames, text);
}

std::string_view to_string(FailureKind kind) {
  return name_of(kFailureKindNames, kind);
}

FailureKind parse_failure_kind(std::string_view text) {
  return value_named(kFailureKindNames, text).value_or(FailureKind::agent_error);
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
