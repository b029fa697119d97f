#pragma once
// What a finished drover-agent process said, as a transport result. Every transport ends up
// holding the same three things (exit status, stdout, stderr) however it ran the agent (a local
// subprocess, `ssh host agent …`, an SSM command invocation), so this mapping onto
// core::TransportStatus is written once and shared. Only "the agent could not be started at
// all" (unreachable) is the transport's own to decide; it never reaches this function.
//
// The rules (core/transport.h states what each status means):
//   killed for saying too much         → bad_output (more than kAgentOutputLimit on a stream)
//   killed by our timeout              → timed_out
//   killed by a signal                 → agent_failed
//   exit 0 or 1 with a JSON object     → ok (exit 1 = some bot did not make it; the report says)
//   exit 0 or 1 without one            → bad_output
//   any other exit (2 usage, 3 cannot run, …) → agent_failed, detail = the report's error
// The report, when the last stdout line is a JSON object, is kept whatever the status.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/transport.h"
#include "util/subprocess.h"

namespace drover::transport {

/// What drover reads of an agent's stdout, and of its stderr, before it ends the agent: far
/// above the largest real output (a report is about 1 KB per bot, progress a few lines per
/// step), so only an agent that misbehaves (or a host that is not running our agent) hits it,
/// and a window of such hosts cannot grow drover without bound.
inline constexpr std::size_t kAgentOutputLimit = std::size_t{2} << 20;

/// How many lines of the agent's stderr a result keeps, and at most how many bytes of them.
inline constexpr std::size_t kStderrTailLines = 20;
inline constexpr std::size_t kStderrTailBytes = 4096;

/// The result of one finished agent process that ran with `timeout`.
core::AgentResult interpret_agent_process(const ProcessResult& process,
                                          std::chrono::seconds timeout);

/// The stderr line callback (ProcessOptions::on_stderr_line) that hands the agent's step lines
/// to `call.on_step` as they arrive (core/agent_progress.h); empty when the call wants none.
/// For transports that stream the agent's stderr (local, ssh).
std::function<void(std::string_view line)> agent_step_reader(const core::AgentCall& call);

/// The last `max_lines` lines of `text` (no trailing newline), cut to the last `max_bytes`.
std::string tail_lines(std::string_view text, std::size_t max_lines = kStderrTailLines,
                       std::size_t max_bytes = kStderrTailBytes);

/// The result when drover could not start `program` ("the agent for host-1", "ssh to reach
/// host-1") because its own machine ran out of descriptors, memory or processes: nothing ran
/// on the host, and nothing is wrong with it.
core::AgentResult out_of_resources(const std::string& program, const ResourceExhausted& error);

}  // namespace drover::transport
