// drover-agent: builds the real world (Docker over its socket, the steady clock, the host's
// files) and hands it to the command line. See agent_cli.h for commands and exit codes.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string_view>

#include "agent/agent_cli.h"
#include "agent/crash_switch.h"
#include "core/agent_report.h"
#include "docker/engine_runtime.h"

namespace {

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof buffer - 1) != 0) return "unknown-host";
  return buffer;
}

// Test-only: DROVER_AGENT_ROOT=<dir> makes `baseline` check the host whose / is at <dir>
// (as --root does), so tests, and the SSH test hosts, check a directory tree instead of this
// machine's /etc. An explicit --root wins.
std::string baseline_root() {
  const char* root = std::getenv("DROVER_AGENT_ROOT");
  return root && *root ? root : "/";
}

// Which EC2 instance this is when SSM Run Command started the agent (the SSM Agent sets it
// for every command it runs): `swap` and `status` with --instance-bots take this instance's
// bots.
std::string ssm_instance_id() {
  const char* id = std::getenv("AWS_SSM_INSTANCE_ID");
  return id ? id : "";
}

}  // namespace

int main(int argc, char** argv) {
  // A swap in flight must finish even when the operator's connection drops or Ctrl-C
  // reaches us: a half-done swap is worse than a late one.
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);

  drover::agent::ProgressLog log(std::cerr);
  drover::SteadyClock clock;
  drover::SystemRandom random;
  drover::PosixProcessRunner runner;
  drover::agent::PosixHostSystem host("/", runner);  // where swap measures free disk
  try {
    drover::docker::EngineRuntime runtime;
    drover::agent::AgentContext ctx{
        runtime,
        clock,
        random,
        log,
        [&host](const std::string& path) -> std::optional<std::int64_t> {
          try {
            return host.free_bytes(path);
          } catch (const std::exception&) {
            return std::nullopt;
          }
        },
        drover::agent::crash_switch_from_environment(),
        drover::agent::host_pull_auth(drover::agent::agent_docker_config_dir(
                                          std::getenv("DROVER_AGENT_DOCKER_CONFIG"),
                                          std::getenv("DOCKER_CONFIG"), std::getenv("HOME")),
                                      runner)};
    drover::agent::FileHostLock host_lock(
        drover::agent::host_lock_path(std::getenv("DROVER_AGENT_LOCK")));
    drover::agent::AgentWorld world{ctx,
                                    [&runner](const std::string& root) {
                                      return std::make_unique<drover::agent::PosixHostSystem>(
                                          root, runner);
                                    },
                                    baseline_root(),
                                    host_name(),
                                    "/proc/self/exe",
                                    host_lock,
                                    ssm_instance_id(),
                                    std::cout};
    return drover::agent::run_agent_cli(argc, argv, world);
  } catch (const std::exception& e) {
    std::cerr << "drover-agent: error: " << e.what() << '\n';
    std::cout << drover::core::error_report("agent", host_name(), "cannot start: see stderr").dump()
              << '\n';
    return drover::agent::kExitCannotRun;
  }
}
