#pragma once
// Every drover subcommand in one table, the way ninja keeps its tools: name, help, its own
// options and its run function. `drover --help` lists them in this order; adding a command
// is one file in commands/ and one row here.
#include <span>

#include "cli/commands/command.h"

namespace drover::cli {

std::span<const Command> command_table();

}  // namespace drover::cli
