#pragma once
// The small pieces every ssm failure result is made of, shared by the one-host path
// (ssm_transport.cc) and the call group (ssm_call_group.cc).
#include <string>
#include <utility>

#include "aws/aws_error.h"
#include "core/printable_text.h"
#include "core/transport.h"

namespace drover::transport {

/// A result with `status` and its one-line `detail`.
inline core::AgentResult failed_result(core::TransportStatus status, std::string detail) {
  core::AgentResult r;
  r.status = status;
  r.detail = std::move(detail);
  return r;
}

/// "Code: message" of an AWS error, printable.
inline std::string aws_error_text(const aws::AwsError& e) {
  return core::printable(e.message().empty() ? e.code() : e.code() + ": " + e.message());
}

}  // namespace drover::transport
