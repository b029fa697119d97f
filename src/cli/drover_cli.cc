#include "cli/drover_cli.h"

#include <CLI/CLI.hpp>
#include <sstream>

#include "aws/aws_error.h"
#include "cli/commands/command_table.h"
#include "cli/commands/help_footer.h"
#include "cli/commands/plan_execution.h"
#include "cli/lock/deploy_lock.h"
#include "cli/state/storage_error.h"
#include "core/exit_code.h"
#include "core/input_error.h"
#include "core/journal_record.h"
#include "core/printable_text.h"
#include "core/transport.h"
#include "util/build_info.h"

namespace drover::cli {
namespace {

using core::ExitCode;

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
        "ssm:ListCommands, ssm:ListCommandInvocations, ssm:CancelCommand, "
        "ssm:DescribeInstanceInformation, ssm:*Parameter and "
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
  app.footer(kHelpFooter);
  app.set_version_flag("--version", version_line("drover", build_commit()),
                       "print the version and build, then exit");
  std::vector<std::pair<CLI::App*, CommandRun>> commands;
  for (const auto& command : command_table()) {
    auto* subcommand = app.add_subcommand(std::string(command.name), std::string(command.help));
    commands.emplace_back(subcommand, command.declare(*subcommand));
  }

  try {
    app.parse(argc, argv);
    for (auto& [subcommand, run] : commands) {
      if (subcommand->parsed()) return run(world);
    }
  } catch (const CLI::CallForHelp& e) {
    // Through the terminal, like every other line drover prints (tests read it there).
    std::ostringstream out;
    std::ostringstream err;
    const int code = app.exit(e, out, err);
    world.terminal.print(out.str());
    if (!err.str().empty()) world.terminal.error(err.str());
    return code;
  } catch (const EndedAtOnce& ended) {
    return ended.exit_code;  // a world without end_process (tests): the result is recorded
  } catch (const CLI::CallForVersion&) {
    world.terminal.print(version_line("drover", build_commit()) + "\n");
    return core::to_int(ExitCode::success);
  } catch (const CLI::ParseError& e) {
    error_line(world, "arguments", core::printable(e.what(), 200), "see drover --help");
    return core::to_int(ExitCode::usage_error);
  } catch (const core::InputError& e) {
    error_line(world, e.where(), e.problem(), e.fix());
    return core::to_int(ExitCode::usage_error);
  } catch (const LockHeld& e) {
    error_line(world, e.where(), e.problem(), e.fix());
    return core::to_int(ExitCode::lock_held);
  } catch (const StorageError& e) {
    error_line(world, core::printable(e.file().string()), core::printable(e.problem()), e.fix());
    return core::to_int(ExitCode::storage_failed);
  } catch (const core::JournalError& e) {
    error_line(world, "journal", core::printable(e.what()),
               "the journal is damaged (edited, or its disk failed): `drover verify` shows what "
               "runs on the fleet; move the file aside to leave it out of `drover history`");
    return core::to_int(ExitCode::storage_failed);
  } catch (const aws::AwsError& e) {
    return aws_error(world, e);
  } catch (const core::OutOfResources& e) {
    error_line(world, "resources", e.what(),
               "raise drover's descriptor limit (ulimit -n) or free memory, then run it again; "
               "nothing was touched");
    return 1;
  } catch (const std::exception& e) {
    error_line(world, "internal", e.what(),
               "this is a bug or an environment problem; the journal keeps what was done");
    return 1;
  }
  return core::to_int(ExitCode::usage_error);
}

}  // namespace drover::cli
