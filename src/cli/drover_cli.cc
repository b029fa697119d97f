#include "cli/drover_cli.h"

#include <CLI/CLI.hpp>

#include "aws/aws_error.h"
#include "cli/commands/deploy_command.h"
#include "cli/commands/fleet_check_commands.h"
#include "cli/commands/fleet_services.h"
#include "cli/commands/inventory_command.h"
#include "cli/lock/deploy_lock.h"
#include "cli/state/deploy_journal.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

using core::ExitCode;

struct Options {
  std::vector<std::string> words;
  bool yes = false;
  std::string config;
  bool json = false;
  bool dry_run = false;
  std::string resume;
  int straggler_wait = -1;
  std::string deploy_id;
  std::size_t limit = 20;
  bool force = false;
  bool allow_drift = false;
  bool fix = false;
  bool install_agent = false;
  std::string region;
  std::string profile;

  AwsFlags aws() const {
    return {region.empty() ? std::nullopt : std::optional(region),
            profile.empty() ? std::nullopt : std::optional(profile)};
  }
};

constexpr const char* kExitCodes =
    "Exit codes: 0 success; 1 internal error; 2 usage or configuration error (nothing touched); "
    "3 refused at confirmation (nothing touched); 4 halted by the error threshold or "
    "interrupted; 5 verification found stale or down bots; 6 bots still not logged in after "
    "the retry; 7 another deploy holds the fleet's lock; 8 a fleet check (baseline, drift, the "
    "deploy's drift preflight) found hosts needing attention.";

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional(text);
}

std::optional<int> optional_seconds(int seconds) {
  return seconds < 0 ? std::nullopt : std::optional(seconds);
}

OutputMode output_mode(const Options& o, CliWorld& world) {
  if (o.json) return OutputMode::json;
  return world.terminal.interactive() ? OutputMode::terminal : OutputMode::plain;
}

int history(const Options& o, CliWorld& world) {
  auto config = load_fleet_config(optional_text(o.config), o.aws(), world);
  auto listing = list_deploys(StateDir::open_for(world.env, config.fleet.name()));
  for (const auto& warning : listing.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  if (listing.deploys.empty()) {
    world.terminal.print("no deploys recorded yet for fleet " + config.fleet.name() + "\n");
  } else {
    world.terminal.print(render_history_table(listing.deploys, o.limit));
  }
  return core::to_int(ExitCode::success);
}

int show(const Options& o, CliWorld& world) {
  auto config = load_fleet_config(optional_text(o.config), o.aws(), world);
  auto deploy = load_deploy(StateDir::open_for(world.env, config.fleet.name()), o.deploy_id);
  for (const auto& warning : deploy.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  world.terminal.print(render_deploy_details(deploy));
  return core::to_int(ExitCode::success);
}

int unlock(const Options& o, CliWorld& world) {
  auto config = load_fleet_config(optional_text(o.config), o.aws(), world);
  auto previous = make_fleet_lock(config, world)->break_lock(o.force);
  if (!previous) {
    world.terminal.print("fleet " + config.fleet.name() + " was not locked\n");
  } else {
    world.terminal.print("broke the lock of fleet " + config.fleet.name() + ", held by " +
                         previous->holder + " (pid " + std::to_string(previous->pid) + ", deploy " +
                         previous->deploy_id + ", since " + previous->started_at + ")\n");
  }
  return core::to_int(ExitCode::success);
}

void error_line(CliWorld& world, const std::string& where, const std::string& what,
                const std::string& fix) {
  world.terminal.error("drover: error: " + where + ": " + what +
                       (fix.empty() ? "" : " (" + fix + ")") + "\n");
}

bool is_credential_problem(const std::string& code) {
  for (const char* known :
       {"UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
        "NoCredentials", "PartialCredentials", "IncompleteSignature", "MissingAuthenticationToken",
        "InvalidAccessKeyId"}) {
    if (code == known) return true;
  }
  return false;
}

// An AWS refusal as the operator's one line, and the exit code: a credential, permission or
// endpoint problem is configuration (2, nothing was touched); anything else is 1.
int aws_error(CliWorld& world, const aws::AwsError& e) {
  const auto& code = e.code();
  std::string fix;
  int exit_code = core::to_int(ExitCode::usage_error);
  if (is_credential_problem(code)) {
    fix =
        "AWS refused drover's credentials: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
        "AWS_PROFILE or --profile, and that the key is active and its secret is right";
  } else if (code.starts_with("AccessDenied") || code == "UnauthorizedOperation") {
    fix =
        "the credentials lack a permission: allow ssm:SendCommand, ssm:GetCommandInvocation, "
        "ssm:CancelCommand, ssm:DescribeInstanceInformation, ssm:*Parameter and "
        "ec2:DescribeInstances for them";
  } else if (code == "EndpointUnreachable") {
    fix = "check the network, --region, and [aws] endpoint_url or AWS_ENDPOINT_URL";
  } else {
    exit_code = 1;
    fix = "nothing was deployed after this error; run the command again once AWS answers";
  }
  error_line(world, "AWS", core::printable(code + ": " + e.message()), fix);
  return exit_code;
}

}  // namespace

int run_drover_cli(int argc, char** argv, CliWorld& world) {
  CLI::App app{"drover: roll a new image out to the bot fleet, safely, and prove what happened"};
  app.require_subcommand(1);
  app.footer(kExitCodes);
  Options o;
  auto add_config = [&](CLI::App* cmd) {
    cmd->add_option("--config", o.config,
                    "drover.toml to use (else $DROVER_CONFIG, ./drover.toml)");
    cmd->add_option("--region", o.region, "AWS region (ssm transport, discovery)");
    cmd->add_option("--profile", o.profile, "AWS credentials profile (ssm transport, discovery)");
  };
  auto* deploy = app.add_subcommand("deploy", "plan, confirm, roll out, verify");
  deploy->add_option("words", o.words,
                     "[staging|bot|all] [routine|fast|immediate] [BOT_ID] [IMAGE_REF]");
  deploy->add_flag("-y,--yes", o.yes, "skip the confirmation (automation)");
  deploy->add_flag("--json", o.json, "one JSON event per line on stdout");
  deploy->add_flag("--dry-run", o.dry_run, "show the plan and stop");
  deploy->add_option("--resume", o.resume,
                     "deploy only the hosts an earlier deploy did not finish");
  deploy->add_option("--straggler-wait", o.straggler_wait,
                     "seconds to wait for login stragglers (60)");
  deploy->add_flag("--allow-drift", o.allow_drift,
                   "deploy even to hosts running another drover-agent build, or none");
  add_config(deploy);
  auto* verify = app.add_subcommand("verify", "check which bots run the image and are logged in");
  verify->add_option("words", o.words, "[staging|bot|all] [BOT_ID] [IMAGE_REF]");
  verify->add_flag("--json", o.json, "one JSON event per line on stdout");
  verify->add_option("--straggler-wait", o.straggler_wait,
                     "seconds to wait for login stragglers (60)");
  add_config(verify);
  auto* baseline = app.add_subcommand(
      "baseline", "check (and --fix) the host safeguards and agent build on every host");
  baseline->add_option("words", o.words, "[staging|bot|all] [BOT_ID] (default all)");
  baseline->add_flag("--fix", o.fix, "repair what can be repaired (idempotent)");
  baseline->add_flag("--install-agent", o.install_agent,
                     "first install this drover's agent where it is missing or another build");
  baseline->add_flag("--json", o.json, "one JSON document on stdout");
  add_config(baseline);
  auto* drift = app.add_subcommand("drift", "list hosts not running this drover's agent build");
  drift->add_option("words", o.words, "[staging|bot|all] [BOT_ID] (default all)");
  drift->add_flag("--json", o.json, "one JSON document on stdout");
  add_config(drift);
  auto* history_cmd = app.add_subcommand("history", "list past deploys, newest first");
  history_cmd->add_option("--limit", o.limit, "rows to show");
  add_config(history_cmd);
  auto* show_cmd = app.add_subcommand("show", "everything recorded about one deploy");
  show_cmd->add_option("deploy_id", o.deploy_id, "the deploy's id (see drover history)")
      ->required();
  add_config(show_cmd);
  auto* unlock_cmd = app.add_subcommand("unlock", "break a stale deploy lock (say whose it was)");
  unlock_cmd->add_flag("--force", o.force, "break even a lock whose holder looks alive");
  add_config(unlock_cmd);
  auto* inventory_cmd =
      app.add_subcommand("inventory", "list the fleet: hosts, instances, bots, SSM state");
  inventory_cmd->add_flag("--json", o.json, "one JSON document on stdout");
  add_config(inventory_cmd);

  try {
    app.parse(argc, argv);
    if (deploy->parsed()) {
      return run_deploy(
          {o.words, o.yes, optional_text(o.config), output_mode(o, world), o.dry_run,
           optional_text(o.resume), optional_seconds(o.straggler_wait), o.allow_drift, o.aws()},
          world);
    }
    if (verify->parsed()) {
      return run_verify({o.words, optional_text(o.config), output_mode(o, world),
                         optional_seconds(o.straggler_wait), o.aws()},
                        world);
    }
    if (baseline->parsed()) {
      return run_fleet_baseline(
          {o.words, optional_text(o.config), o.fix, o.install_agent, o.json, o.aws()}, world);
    }
    if (drift->parsed()) {
      return run_drift({o.words, optional_text(o.config), o.json, o.aws()}, world);
    }
    if (history_cmd->parsed()) return history(o, world);
    if (show_cmd->parsed()) return show(o, world);
    if (unlock_cmd->parsed()) return unlock(o, world);
    if (inventory_cmd->parsed()) {
      return run_inventory({optional_text(o.config), o.aws(), o.json}, world);
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    error_line(world, "arguments", e.what(), "see drover --help");
    return core::to_int(ExitCode::usage_error);
  } catch (const core::InputError& e) {
    error_line(world, e.where(), e.problem(), e.fix());
    return core::to_int(ExitCode::usage_error);
  } catch (const LockHeld& e) {
    error_line(world, e.where(), e.problem(), e.fix());
    return core::to_int(ExitCode::lock_held);
  } catch (const aws::AwsError& e) {
    return aws_error(world, e);
  } catch (const std::exception& e) {
    error_line(world, "internal", e.what(),
               "this is a bug or an environment problem; the journal keeps what was done");
    return 1;
  }
  return core::to_int(ExitCode::usage_error);
}

}  // namespace drover::cli
