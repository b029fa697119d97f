#include "transport/local/local_transport.h"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "transport/local/agent_output.h"

namespace drover::transport {

LocalTransport::LocalTransport(std::string agent_path, ProcessRunner& runner)
    : agent_path_(std::move(agent_path)), runner_(runner) {}

core::AgentResult LocalTransport::run_agent(const core::Host& host, const core::AgentCall& call) {
  if (call.timeout.count() <= 0) {
    // A zero timeout would kill every agent at once and a negative one is meaningless: this is
    // a bug in the caller, not something the host did.
    throw std::invalid_argument(
        fmt::format("agent call for {} has a non-positive timeout", host.name));
  }
  std::vector<std::string> argv;
  argv.reserve(call.args.size() + 1);
  argv.push_back(agent_path_);
  argv.insert(argv.end(), call.args.begin(), call.args.end());

  ProcessOptions options;
  options.timeout = call.timeout;
  ProcessResult process;
  try {
    process = runner_.run(argv, options);
  } catch (const std::exception& e) {
    // The runner throws only when the program cannot be started at all: locally that is what
    // "the host cannot be reached" means, and nothing has touched a bot.
    core::AgentResult result;
    result.status = core::TransportStatus::unreachable;
    result.detail = fmt::format(
        "cannot start the agent {} for {}: {} (set fleet.agent_path in "
        "drover.toml to the drover-agent binary)",
        agent_path_, host.name, e.what());
    return result;
  }
  return interpret_agent_process(process, call.timeout);
}

}  // namespace drover::transport
