#pragma once
// Running the real drover-agent binary from a test, the way a transport runs it on a host,
// and reading back its one JSON document.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace drover::testing {

struct AgentRun {
  ProcessResult process;
  nlohmann::json report;  // the last stdout line, parsed; null when there is none
  bool killed() const { return process.signal == 9; }
};

/// Runs `agent_binary args...` with the extra environment and returns its report.
AgentRun run_agent(const std::string& agent_binary, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {});

/// The report's bots[] entry for `bot_id` (throws when absent).
const nlohmann::json& bot_entry(const nlohmann::json& report, int bot_id);

}  // namespace drover::testing
