#pragma once
// What an SSM command invocation's final state means for drover: the mapping from
// GetCommandInvocation's Status / StatusDetails / ResponseCode / output onto
// core::TransportStatus, written once and without I/O so every case is unit-tested.
//
//   Success, or Failed with a ResponseCode   the agent ran: 126/127 (the shell found no
//                                            runnable agent) -> agent_missing; output cut at
//                                            the API's 24,000 characters -> bad_output; else
//                                            interpret_agent_process, as for a local agent
//   Failed/Undeliverable, Terminated,        nothing ran on the host -> unreachable
//     TimedOut/DeliveryTimedOut, InvalidPlatform, ...
//   TimedOut/ExecutionTimedOut               the agent was stopped by SSM's executionTimeout
//                                            -> timed_out
//   Cancelled                                before it started -> unreachable (nothing ran);
//                                            while running -> timed_out when drover cancelled
//                                            it for its timeout, else agent_failed
#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/transport.h"

namespace drover::transport {

/// GetCommandInvocationResult.StandardOutputContent's documented maximum, in characters.
inline constexpr std::size_t kSsmStdoutLimit = 24000;

/// The fields of GetCommandInvocation that drover reads.
struct SsmInvocation {
  std::string status;          // Pending, InProgress, Delayed, Success, Cancelled, TimedOut, ...
  std::string status_details;  // Undeliverable, DeliveryTimedOut, ExecutionTimedOut, ...
  int response_code = -1;
  std::string stdout_content;
  std::string stderr_content;
  bool started = false;  // ExecutionStartDateTime is set: the script began to run
};

/// Reads a GetCommandInvocation output (missing members take their defaults).
SsmInvocation parse_invocation(const nlohmann::json& output);

/// ListCommandInvocations' CommandPlugin.Output documented maximum, in characters.
inline constexpr std::size_t kSsmListedOutputLimit = 2500;

/// One row of ListCommandInvocations with Details (ssm_pages.h reads it): its status, and the
/// plugin's response code, start and Output (stdout, then "\n----------ERROR-------\n" and
/// stderr when there is any). `complete` is false when the Output may have been cut before
/// stdout's end: then only GetCommandInvocation has the whole of it.
struct ListedInvocation {
  SsmInvocation invocation;
  bool complete = true;
};

/// Whether the invocation will not change any more (Success, Failed, TimedOut, Cancelled, and
/// the detail-only terminal states such as Undeliverable).
bool is_terminal(const SsmInvocation& invocation);

/// Pending or Delayed: the host has not started the script yet, so cancelling is safe.
bool not_started(const SsmInvocation& invocation);

/// Whether `stdout_content` may have been cut by the API: it is as long as the limit (counted
/// in characters, as AWS does, not bytes).
bool output_truncated(std::string_view stdout_content);

/// Who cancelled an invocation that ended Cancelled, as far as drover knows.
enum class CancelReason { none, operator_interrupt, call_timeout };

/// How the invocation was started and watched, for the detail lines.
struct InvocationContext {
  std::string host;         // the fleet's name for the host
  std::string instance_id;  // i-…
  std::string command_id;
  std::chrono::seconds timeout{600};
  CancelReason cancelled_by = CancelReason::none;
};

/// The transport result of a terminal invocation.
core::AgentResult agent_result_for(const SsmInvocation& invocation,
                                   const InvocationContext& context);

}  // namespace drover::transport
