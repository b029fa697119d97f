#include "agent/agent_cli.h"

#include <ostream>
#include <string_view>

#include "agent/agent_report.h"
#include "agent/baseline.h"
#include "agent/bot_status.h"
#include "agent/host_swap.h"
#include "agent/in_flight_runtime.h"
#include "agent/landing_wait.h"
#include "agent/progress_steps.h"
#include "core/agent_drift.h"
#include "core/agent_request.h"
#include "core/input_error.h"
#include "util/build_info.h"
#include "util/sha256.h"

namespace drover::agent {
namespace {

void emit(AgentWorld& world, const nlohmann::json& report) {
  world.out << report.dump() << '\n';
}

int exit_for(bool ok) {
  return ok ? kExitOk : kExitNotReached;
}

// Takes the host's lock for a command that changes bots, then lets the engine requests a
// previous holder died with land (agent/landing_wait.h): what the command reads next is then
// what it repairs.
void lock_host(AgentWorld& world, std::string_view command) {
  if (const auto left = world.host_lock.acquire(command, world.ctx.log)) {
    wait_for_landing(world.ctx, *left);
  }
}

// The world's context on the recording engine: every change to a bot's containers is kept in
// the host lock while in flight.
AgentContext recording_context(AgentWorld& world, InFlightRecordingRuntime& engine) {
  return AgentContext{engine,
                      world.ctx.clock,
                      world.ctx.random,
                      world.ctx.log,
                      world.ctx.free_bytes,
                      world.ctx.on_step,
                      world.ctx.registry_auth};
}

int run(AgentWorld& world, const core::SwapRequest& request) {
  lock_host(world, "swap");
  HostSwapOptions options;
  options.bot_ids = request.bots;
  options.image_ref = request.image.str();
  for (const auto& [bot, image] : request.bot_images) options.bot_image_refs[bot] = image.str();
  options.stop_timeout = request.stop_timeout;
  options.settle = request.settle;
  options.jitter = request.jitter;
  options.login_wait = request.login_wait;
  options.container_template = request.container_template;
  options.disk_floor_bytes = request.disk_floor_mb << 20;
  auto probe = make_login_probe(request.login_probe, world.ctx.runtime);
  InFlightRecordingRuntime engine(world.ctx.runtime, world.host_lock, world.ctx.clock);
  // The steps for drover's live view, for this swap only (the context is the caller's).
  AgentContext ctx = recording_context(world, engine);
  ctx.on_step = with_progress_steps(world.ctx.on_step, world.ctx.log, options.jitter.count() > 0);
  auto result = swap_host(ctx, *probe, options);
  emit(world, core::to_json(swap_report(world.host_name, result)));
  return exit_for(result.ok());
}

int run(AgentWorld& world, const core::StatusRequest& request) {
  auto probe = make_login_probe(request.login_probe, world.ctx.runtime);
  world.ctx.runtime.ping();
  std::map<int, core::ImageReference> expected;
  for (int bot : request.bots) {
    if (auto image = request.expected_for(bot)) expected.emplace(bot, *image);
  }
  auto report =
      status_report(world.host_name, read_bot_status(world.ctx, *probe, request.bots, expected));
  emit(world, core::to_json(report));
  return exit_for(report.ok);
}

int run(AgentWorld& world, const core::RecoverRequest& request) {
  lock_host(world, "recover");
  world.ctx.runtime.ping();
  InFlightRecordingRuntime engine(world.ctx.runtime, world.host_lock, world.ctx.clock);
  auto ctx = recording_context(world, engine);
  std::vector<RecoverResult> results;
  for (int id : request.bots) {
    results.push_back(recover_bot(ctx, id, request.settle));
  }
  auto report = recover_report(world.host_name, results);
  emit(world, core::to_json(report));
  return exit_for(report.ok);
}

int run(AgentWorld& world, const core::BaselineRequest& request) {
  BaselineOptions options;
  options.fix = request.fix;
  options.disk_floor_bytes = request.disk_floor_mb << 20;
  options.registry_image = request.registry_image;
  options.registry_auth = world.ctx.registry_auth;
  const std::string root = request.root.empty() ? world.default_root : request.root;
  if (root.empty() || root.front() != '/') {
    throw core::InputError("--root", "'" + root + "' is not an absolute directory",
                           "pass the directory the host's / is at, e.g. --root /mnt/host");
  }
  auto host = world.host_at(root);
  auto result = run_baseline(*host, world.ctx.runtime, options);
  core::BaselineReport report;
  report.host = world.host_name;
  report.root = host->root();
  report.ok = result.ok();
  // Who answered, so drover's fleet table can show drift without a second call per host.
  report.agent_version = std::string(build_version());
  report.agent_sha256 = sha256_file_hex(world.self_path);
  report.checks = std::move(result.checks);
  emit(world, core::to_json(report));
  return exit_for(report.ok);
}

int run(AgentWorld& world, const core::VersionRequest&) {
  emit(world, core::to_json(core::VersionReport{world.host_name, std::string(build_version()),
                                                sha256_file_hex(world.self_path)}));
  return kExitOk;
}

// Every failure before or while running a command is one report with the error, and a line
// on stderr; the exit code says whether the arguments (2) or the host (3) were the problem.
int refuse(AgentWorld& world, const std::string& command, const std::string& error, int code) {
  world.ctx.log.line("error: " + error);
  emit(world, core::error_report(command, world.host_name, error));
  return code;
}

}  // namespace

int run_agent_cli(int argc, char** argv, AgentWorld& world) {
  core::AgentCommandLine command_line;
  command_line.set_instance_id(world.instance_id);
  command_line.app().set_version_flag("--version", std::string(),
                                      "print the version and build (its sha256), then exit");
  try {
    auto request = command_line.parse(argc, argv);
    return std::visit([&](const auto& r) { return run(world, r); }, request);
  } catch (const CLI::CallForHelp& e) {
    return command_line.app().exit(e);
  } catch (const CLI::CallForVersion&) {
    world.out << version_line("drover-agent", core::short_sha256(sha256_file_hex(world.self_path)))
              << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // The command line's shape was wrong, so no command can be said to have been asked for.
    world.ctx.log.line(std::string("error: ") + e.what() + " (see drover-agent --help)");
    emit(world, core::error_report("agent", world.host_name, e.what()));
    return kExitUsage;
  } catch (const core::InputError& e) {
    return refuse(world, command_line.command(),
                  e.where() + ": " + e.problem() + " (" + e.fix() + ")", kExitUsage);
  } catch (const std::invalid_argument& e) {
    return refuse(world, command_line.command(), e.what(), kExitUsage);
  } catch (const std::exception& e) {
    return refuse(world, command_line.command(), e.what(), kExitCannotRun);
  }
}

}  // namespace drover::agent
