#pragma once
// drover-agent's command line: swap | status | recover | baseline | version (the agent
// protocol's requests, core/agent_request.h), and --version. Every command prints progress on
// stderr and exactly one JSON document on stdout (its last line; core/agent_report.h).
//
// Exit codes (the operator's drover and the tests rely on them):
//   0  every bot reached the requested state
//   1  some bot did not (the JSON says which and why)
//   2  bad arguments: nothing was done
//   3  the command could not run (Docker engine unreachable, host check impossible)
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "agent/agent_context.h"
#include "agent/host_lock.h"
#include "agent/host_system.h"

namespace drover::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNotReached = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCannotRun = 3;

/// The real world the commands run against; built once in main.
struct AgentWorld {
  AgentContext& ctx;
  /// The host's files and programs with its paths resolved under `root` ("/" on a host).
  std::function<std::unique_ptr<HostSystem>(const std::string& root)> host_at;
  /// baseline's root when --root is not given: $DROVER_AGENT_ROOT (a test hook), else "/".
  std::string default_root;
  std::string host_name;
  std::string self_path;    // the agent binary, for `version`
  HostLock& host_lock;      // taken by the commands that change bots (swap, recover)
  std::string instance_id;  // $AWS_SSM_INSTANCE_ID (set by the SSM Agent); empty elsewhere
  std::ostream& out;        // the JSON document
};

int run_agent_cli(int argc, char** argv, AgentWorld& world);

}  // namespace drover::agent
