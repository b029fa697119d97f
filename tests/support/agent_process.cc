#include "support/agent_process.h"

#include <stdexcept>

namespace drover::testing {

AgentRun run_agent(const std::string& agent_binary, const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{agent_binary};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.extra_env = env;
  PosixProcessRunner runner;
  AgentRun run;
  run.process = runner.run(argv, options);
  auto text = run.process.out;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  auto last = text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  if (!last.empty()) run.report = nlohmann::json::parse(last, nullptr, false);
  return run;
}

const nlohmann::json& bot_entry(const nlohmann::json& report, int bot_id) {
  for (const auto& bot : report.at("bots")) {
    if (bot.at("bot") == bot_id) return bot;
  }
  throw std::out_of_range("no bot " + std::to_string(bot_id) + " in report " + report.dump());
}

}  // namespace drover::testing
