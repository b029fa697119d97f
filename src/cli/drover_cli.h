#pragma once
// drover's command line: parses into the subcommands of the command table
// (commands/command_table.h), runs the one asked for, and is the one place where every failure
// becomes a single line `drover: error: <where>: <what> (<how to fix>)` and an exit code.
//
// Exit codes (core/exit_code.h): 0 success; 2 usage or configuration error (nothing touched);
// 3 refused at confirmation (nothing touched); 4 halted by the error threshold, or
// interrupted; 5 verification found stale or down bots; 6 bots still not logged in after the
// retry; 7 another deploy holds the fleet's lock; 8 a fleet check (baseline, drift, or the
// deploy's drift preflight) found hosts needing attention; 9 a file of drover's state (journal,
// lock, state directory) could not be read or written; 1 an unexpected internal error.
#include "cli/cli_world.h"

namespace drover::cli {

int run_drover_cli(int argc, char** argv, CliWorld& world);

}  // namespace drover::cli
