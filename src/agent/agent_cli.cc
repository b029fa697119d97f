#include "agent/agent_cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>
#include <set>

#include "agent/agent_report.h"
#include "agent/baseline.h"
#include "agent/bot_status.h"
#include "agent/host_swap.h"
#include "core/bot_id.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "util/sha256.h"

namespace drover::agent {
namespace {

constexpr const char* kVersion = "0.1.0";

struct Arguments {
  std::string bots;
  std::string image;
  std::string expect_image;
  int stop_timeout = 35;
  double settle = 10;
  double jitter = 0;
  double login_wait = 0;
  std::string container_template;
  std::string login_probe = "health";
  std::int64_t disk_floor_mb = 1024;
  bool fix = false;
  std::string root;  // baseline: empty means world.default_root
};

Duration seconds(double s) {
  return Duration(static_cast<std::int64_t>(s * 1000));
}

std::string image_argument(const std::string& text) {
  return core::parse_image_reference(text).str();
}

std::optional<nlohmann::json> template_argument(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    throw core::InputError("--template", "is not a JSON object",
                           "pass a Docker create body, e.g. {\"Env\":[\"BOT_ID={id}\"]}");
  }
  return parsed;
}

void emit(AgentWorld& world, const nlohmann::json& report) {
  world.out << report.dump() << '\n';
}

int exit_for(bool ok) {
  return ok ? kExitOk : kExitNotReached;
}

int swap_command(AgentWorld& world, const Arguments& args) {
  HostSwapOptions options;
  options.bot_ids = parse_bot_list(args.bots);
  options.image_ref = image_argument(args.image);
  options.stop_timeout = std::chrono::seconds(args.stop_timeout);
  options.settle = seconds(args.settle);
  options.jitter = seconds(args.jitter);
  options.login_wait = seconds(args.login_wait);
  options.container_template = template_argument(args.container_template);
  options.disk_floor_bytes = args.disk_floor_mb << 20;
  auto probe = make_login_probe(args.login_probe, world.ctx.runtime);
  auto result = swap_host(world.ctx, *probe, options);
  emit(world, swap_report(world.host_name, result));
  return exit_for(result.ok());
}

int status_command(AgentWorld& world, const Arguments& args) {
  auto bots = parse_bot_list(args.bots);
  auto expect = args.expect_image.empty() ? "" : image_argument(args.expect_image);
  auto probe = make_login_probe(args.login_probe, world.ctx.runtime);
  world.ctx.runtime.ping();
  auto status = read_bot_status(world.ctx, *probe, bots, expect);
  auto report = status_report(world.host_name, status);
  emit(world, report);
  return exit_for(report["ok"].get<bool>());
}

int recover_command(AgentWorld& world, const Arguments& args) {
  auto bots = parse_bot_list(args.bots);
  world.ctx.runtime.ping();
  std::vector<RecoverResult> results;
  for (int id : bots) results.push_back(recover_bot(world.ctx, id, seconds(args.settle)));
  auto report = recover_report(world.host_name, results);
  emit(world, report);
  return exit_for(report["ok"].get<bool>());
}

int baseline_command(AgentWorld& world, const Arguments& args) {
  BaselineOptions options;
  options.fix = args.fix;
  options.disk_floor_bytes = args.disk_floor_mb << 20;
  const std::string root = args.root.empty() ? world.default_root : args.root;
  if (root.empty() || root.front() != '/') {
    throw core::InputError("--root", "'" + root + "' is not an absolute directory",
                           "pass the directory the host's / is at, e.g. --root /mnt/host");
  }
  auto host = world.host_at(root);
  auto report = run_baseline(*host, world.ctx.runtime, options);
  auto json = to_json(report);
  json["command"] = "baseline";
  json["host"] = world.host_name;
  json["root"] = host->root();
  // Who answered, so drover's fleet table can show drift without a second call per host.
  json["agent_version"] = kVersion;
  json["agent_sha256"] = sha256_file_hex(world.self_path);
  emit(world, json);
  return exit_for(report.ok());
}

int version_command(AgentWorld& world) {
  emit(world, {{"command", "version"},
               {"host", world.host_name},
               {"ok", true},
               {"version", kVersion},
               {"sha256", sha256_file_hex(world.self_path)}});
  return kExitOk;
}

}  // namespace

std::vector<int> parse_bot_list(const std::string& text) {
  std::vector<int> ids;
  std::set<int> seen;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = std::min(text.find(',', start), text.size());
    int id = core::parse_bot_id(std::string_view(text).substr(start, end - start));
    if (!seen.insert(id).second) {
      throw core::InputError("--bots", "bot " + std::to_string(id) + " is listed twice",
                             "list each bot once, e.g. --bots 539,540,541");
    }
    ids.push_back(id);
    start = end + 1;
  }
  return ids;
}

int run_agent_cli(int argc, char** argv, AgentWorld& world) {
  CLI::App app{"drover-agent: swaps a host's bots to a new image, safely; reports JSON on stdout"};
  app.require_subcommand(1);
  Arguments args;
  auto add_bots = [&](CLI::App* cmd) {
    cmd->add_option("--bots", args.bots, "bot ids, comma separated (539,540,541)")->required();
  };
  auto add_probe = [&](CLI::App* cmd) {
    cmd->add_option("--login-probe", args.login_probe,
                    "health | log:REGEX | redis:IP:PORT/KEY_TEMPLATE=VALUE");
  };
  auto* swap = app.add_subcommand("swap", "swap the bots to --image (rollback-safe)");
  add_bots(swap);
  swap->add_option("--image", args.image, "image reference (repo:tag or repo@sha256:...)")
      ->required();
  swap->add_option("--stop-timeout", args.stop_timeout, "graceful stop timeout, seconds")
      ->check(CLI::Range(0, 3600));
  swap->add_option("--settle", args.settle, "seconds the new container must stay up")
      ->check(CLI::Range(0.0, 3600.0));
  swap->add_option("--jitter", args.jitter, "wait a random 0..S seconds first")
      ->check(CLI::Range(0.0, 3600.0));
  swap->add_option("--login-wait", args.login_wait, "poll the login probe up to S seconds")
      ->check(CLI::Range(0.0, 3600.0));
  swap->add_option("--template", args.container_template,
                   "Docker create body (JSON) for bots with no container; {id} = bot id");
  swap->add_option("--disk-floor-mb", args.disk_floor_mb, "refuse below this free disk")
      ->check(CLI::Range(0, 1 << 30));
  add_probe(swap);
  auto* status = app.add_subcommand("status", "report what runs for each bot");
  add_bots(status);
  status->add_option("--expect-image", args.expect_image, "compare against this image");
  add_probe(status);
  auto* recover = app.add_subcommand("recover", "repair half-done swaps");
  add_bots(recover);
  recover->add_option("--settle", args.settle, "seconds an unconfirmed new container must stay up")
      ->check(CLI::Range(0.0, 3600.0));
  auto* baseline = app.add_subcommand("baseline", "check (and --fix) the host's safeguards");
  baseline->add_flag("--fix", args.fix, "repair what can be repaired");
  baseline->add_option("--disk-floor-mb", args.disk_floor_mb, "minimum free disk")
      ->check(CLI::Range(0, 1 << 30));
  baseline->add_option("--root", args.root,
                       "check the host whose / is at this directory (default "
                       "$DROVER_AGENT_ROOT, else /)");
  auto* version = app.add_subcommand("version", "print the version and the binary's sha256");

  std::string command = "agent";
  try {
    app.parse(argc, argv);
    command = app.get_subcommands().front()->get_name();
    if (swap->parsed()) return swap_command(world, args);
    if (status->parsed()) return status_command(world, args);
    if (recover->parsed()) return recover_command(world, args);
    if (baseline->parsed()) return baseline_command(world, args);
    if (version->parsed()) return version_command(world);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    world.ctx.log.line("error: " + std::string(e.what()) + " (see drover-agent --help)");
    emit(world, error_report(command, world.host_name, e.what()));
    return kExitUsage;
  } catch (const core::InputError& e) {
    auto line = e.where() + ": " + e.problem() + " (" + e.fix() + ")";
    world.ctx.log.line("error: " + line);
    emit(world, error_report(command, world.host_name, line));
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    world.ctx.log.line(std::string("error: ") + e.what());
    emit(world, error_report(command, world.host_name, e.what()));
    return kExitUsage;
  } catch (const docker::RuntimeError& e) {
    world.ctx.log.line(std::string("error: ") + e.what());
    emit(world, error_report(command, world.host_name, e.what()));
    return kExitCannotRun;
  } catch (const std::exception& e) {
    world.ctx.log.line(std::string("error: ") + e.what());
    emit(world, error_report(command, world.host_name, e.what()));
    return kExitCannotRun;
  }
  return kExitUsage;
}

}  // namespace drover::agent
