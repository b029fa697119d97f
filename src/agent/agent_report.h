#pragma once
// The agent's one JSON document on stdout (its last line): the contract the operator's
// drover parses. Kept compact so three bots fit well inside SSM's 24,000-character output.
#include <nlohmann/json.hpp>
#include <string>

#include "agent/bot_status.h"
#include "agent/host_swap.h"
#include "agent/recover.h"

namespace drover::agent {

nlohmann::json swap_report(const std::string& host, const HostSwapResult& result);
nlohmann::json status_report(const std::string& host, const std::vector<BotStatus>& bots);
nlohmann::json recover_report(const std::string& host, const std::vector<RecoverResult>& bots);
/// A command that could not run at all (bad arguments, engine down): `ok` false, `error` set.
nlohmann::json error_report(const std::string& command, const std::string& host,
                            const std::string& error);

}  // namespace drover::agent
