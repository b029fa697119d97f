#pragma once
// drover-agent's command line: swap | status | recover | baseline | version. Every command
// prints progress on stderr and exactly one JSON document on stdout (its last line).
//
// Exit codes (the operator's drover and the tests rely on them):
//   0  every bot reached the requested state
//   1  some bot did not (the JSON says which and why)
//   2  bad arguments: nothing was done
//   3  the command could not run (Docker engine unreachable, host check impossible)
#include <iosfwd>
#include <string>

#include "agent/agent_context.h"
#include "agent/host_system.h"

namespace drover::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNotReached = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCannotRun = 3;

/// The real world the commands run against; built once in main.
struct AgentWorld {
  AgentContext& ctx;
  HostSystem& host;
  std::string host_name;
  std::string self_path;  // the agent binary, for `version`
  std::ostream& out;      // the JSON document
};

int run_agent_cli(int argc, char** argv, AgentWorld& world);

/// "539,540,541" → ids. Throws core::InputError for anything but distinct bot ids.
std::vector<int> parse_bot_list(const std::string& text);

}  // namespace drover::agent
