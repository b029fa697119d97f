// drover: builds the real world (terminal, clocks, the configured transport, AWS, the registry,
// the lock's view of this process and its operator) and hands it to the command line. See
// drover_cli.h for commands and exit codes.
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "cli/aws/connect.h"
#include "cli/commands/fleet_services.h"
#include "cli/drover_cli.h"
#include "cli/registry/operator_credentials.h"
#include "cli/registry/registry_digest.h"
#include "transport/local/local_agent_path.h"
#include "transport/local/local_transport.h"
#include "transport/ssh/ssh_transport.h"
#include "util/bounded_process_runner.h"
#include "util/http/curl_http_client.h"
#include "util/subprocess.h"

namespace {

std::atomic<bool> interrupt_requested{false};
std::atomic<bool> abandon_requested{false};

// First Ctrl-C, SIGTERM (a cancelled CI job, a service stop) or SIGHUP (a closed terminal):
// no new host starts, in-flight ones finish and are journaled, the result is recorded and the
// lock released by the normal end of the command. A second one: drover stops waiting, records
// what it knows, releases the lock and ends (plan_execution.h); the agents run in their own
// process groups and finish their swaps either way. Lock-free atomics only: async-signal-safe.
void on_interrupt(int) {
  if (interrupt_requested.exchange(true)) abandon_requested = true;
}

// The real end_process: nothing after this runs, not even the destructors that would wait for
// the threads still calling agents.
[[noreturn]] void end_process_now(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}

std::string now_utc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// How many programs (agents, ssh) may run at once. The soft descriptor limit is first raised
// to the hard one, as Go programs do: the soft 1024 is a default for select(2)-era programs,
// and drover polls. Whatever the limit then is, the programs fit in it (bounded_process_runner.h).
std::size_t programs_at_once() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return drover::programs_within(1024);
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return drover::programs_within(limit.rlim_cur == RLIM_INFINITY ? std::uint64_t{1} << 20
                                                                 : limit.rlim_cur);
}

std::string command_line(int argc, char** argv) {
  std::string out = "drover";
  for (int i = 1; i < argc; ++i) out += std::string(" ") + argv[i];
  return out;
}

// glibc's malloc gives freed memory back to the kernel eagerly (the top of the heap past 128 KiB,
// and every block of 128 KiB or more, such as an SSM page's body, as its own mapping), and
// drover then faults the same pages in again: on a VM, where each fault is dear, that was a
// tenth of a 2,000-instance deploy's CPU. Keeping it costs no peak memory, which is what the
// deploy reaches anyway (README, issue 11: 0.42-0.43 s against 0.46-0.50 s, 27% fewer faults).
void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  bool json = false;
  for (int i = 1; i < argc; ++i) json = json || std::string(argv[i]) == "--json";
  drover::cli::StdTerminal terminal(json);
  drover::SteadyClock clock;
  drover::SystemRandom random;
  drover::PosixProcessRunner programs;
  drover::BoundedProcessRunner runner(programs, programs_at_once());
  drover::CurlHttpClient http;
  auto aws = drover::cli::real_aws_connect(drover::cli::process_env, clock, random, runner, http);
  drover::cli::CliWorld world{
      terminal,
      clock,
      random,
      drover::cli::process_env,
      interrupt_requested,
      [&runner, &aws, &clock, &random](
          const drover::cli::DroverConfig& config) -> std::unique_ptr<drover::core::Transport> {
        switch (config.transport) {
          case drover::cli::TransportKind::local:
            break;
          case drover::cli::TransportKind::ssh:
            return std::make_unique<drover::transport::SshTransport>(
                config.ssh, config.agent_path.value_or(drover::transport::kDefaultSshAgentPath),
                runner);
          case drover::cli::TransportKind::ssm:
            return drover::cli::make_ssm_transport(config, aws(config.aws), clock, random,
                                                   interrupt_requested);
        }
        auto agent =
            config.agent_path ? *config.agent_path : drover::transport::agent_beside_this_program();
        // Every logical host is this machine: each gets its own agent swap lock.
        return std::make_unique<drover::transport::LocalTransport>(
            agent, runner, "/run/lock/drover-agent." + config.fleet.name());
      },
      now_utc,
      command_line(argc, argv),
      aws,
      [&http, &runner, &aws](const drover::core::ImageReference& image,
                             const drover::cli::AwsSettings& settings) {
        // ECR tokens are per region: the registry's, whatever the fleet's is.
        auto ecr = [&aws, settings](const drover::registry::EcrRegistry& registry) {
          auto in_region = settings;
          in_region.region_flag = registry.region;
          return aws(in_region).ecr("GetAuthorizationToken", {{"registryIds", {registry.account}}});
        };
        return drover::cli::resolve_digest(
            image, http,
            drover::cli::operator_registry_credentials(drover::cli::process_env, runner, ecr));
      },
      drover::cli::LockEnvironment::real(),
      http,
      &abandon_requested,
      end_process_now};
  return drover::cli::run_drover_cli(argc, argv, world);
}
