#include "transport/local/local_transport.h"

#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <utility>

#include "core/agent_request.h"
#include "transport/agent_output.h"
#include "util/sha256.h"

namespace drover::transport {

namespace {

// A host name as one file-name component.
std::string file_name_part(const std::string& name) {
  std::string part = name;
  for (char& c : part) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    if (!keep) {
      c = '_';
    }
  }
  return part;
}

}  // namespace

LocalTransport::LocalTransport(std::string agent_path, ProcessRunner& runner,
                               std::string host_lock_prefix)
    : agent_path_(std::move(agent_path)),
      runner_(runner),
      host_lock_prefix_(std::move(host_lock_prefix)) {}

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
  options.max_output_bytes = kAgentOutputLimit;
  options.on_stderr_line = agent_step_reader(call);
  if (!host_lock_prefix_.empty()) {
    options.extra_env["DROVER_AGENT_LOCK"] =
        host_lock_prefix_ + "." + file_name_part(host.name) + ".lock";
  }
  ProcessResult process;
  try {
    process = runner_.run(argv, options);
  } catch (const ResourceExhausted& e) {
    return out_of_resources("the agent for " + host.name, e);
  } catch (const std::exception& e) {
    // The runner throws only when the program cannot be started at all: the host (this
    // machine) is there, its agent is not, and nothing has touched a bot.
    core::AgentResult result;
    result.status = core::TransportStatus::agent_missing;
    result.detail = fmt::format(
        "cannot start the agent {} for {}: {} (set fleet.agent_path in "
        "drover.toml to the drover-agent binary)",
        agent_path_, host.name, e.what());
    return result;
  }
  return interpret_agent_process(process, call.timeout);
}

core::AgentResult LocalTransport::install_agent(const core::Host& host,
                                                const core::AgentBinary& binary) {
  namespace fs = std::filesystem;
  core::AgentResult failed;
  failed.status = core::TransportStatus::agent_failed;
  std::error_code error;
  const fs::path target(agent_path_);
  if (!fs::equivalent(binary.local_path, target, error)) {
    // Beside the target and renamed over it: the agent path always holds a whole binary.
    const fs::path staged = target.string() + ".drover-new";
    fs::create_directories(target.parent_path(), error);
    fs::copy_file(binary.local_path, staged, fs::copy_options::overwrite_existing, error);
    if (!error) {
      fs::permissions(staged, fs::perms(0755), error);
    }
    if (!error && sha256_file_hex(staged.string()) != binary.sha256) {
      failed.detail = fmt::format(
          "the agent copied to {} for {} is not the build drover carries "
          "(sha256 differs); nothing was replaced",
          staged.string(), host.name);
      fs::remove(staged, error);
      return failed;
    }
    if (!error) {
      fs::rename(staged, target, error);
    }
    if (error) {
      failed.detail = fmt::format(
          "cannot install the agent at {} for {}: {} (check the "
          "directory exists and is writable)",
          agent_path_, host.name, error.message());
      return failed;
    }
  }
  return run_agent(host, {core::agent_argv(core::VersionRequest{}), std::chrono::seconds(30)});
}

}  // namespace drover::transport
