#pragma once
// One drover subcommand as the command table (command_table.h) lists it: its name, its help
// line, the options it declares on its own CLI11 subcommand, and the function that runs it.
// A command's options are the fields of its own request struct (DeployRequest, ShowRequest,
// …): CLI11 parses straight into them, and the run function gets that request and the world.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cli_world.h"
#include "cli/commands/fleet_services.h"
#include "cli/view/colour.h"
#include "cli/view/rollout_view.h"

namespace CLI {
class App;
}

namespace drover::cli {

/// A parsed command, ready to run. Returns the process exit code (core::ExitCode) and throws
/// what the CLI edge (drover_cli.h) turns into the one error line.
using CommandRun = std::function<int(CliWorld&)>;

struct Command {
  std::string_view name;
  std::string_view help;
  /// Declares the command's options on `subcommand`; returns the run bound to what they parse.
  std::function<CommandRun(CLI::App& subcommand)> declare;
};

/// The table row of a command whose options fill a `Request`: `add_options` declares them,
/// `run` runs the command with what they parsed.
template <typename Request>
Command make_command(std::string_view name, std::string_view help,
                     void (*add_options)(CLI::App&, Request&),
                     int (*run)(const Request&, CliWorld&)) {
  return {name, help, [add_options, run](CLI::App& subcommand) -> CommandRun {
            auto request = std::make_shared<Request>();
            add_options(subcommand, *request);
            return [request, run](CliWorld& world) { return run(*request, world); };
          }};
}

/// --config, --region and --profile, which every command takes, declared last so that each
/// command's help lists its own options first.
void add_fleet_options(CLI::App& subcommand, FleetOptions& options);

/// A text option where an empty value counts as not given.
void add_text_option(CLI::App& subcommand, const std::string& name,
                     std::optional<std::string>& value, const std::string& help);

/// A whole number from `min` to `max` given to option `name`; anything else (a sign where none
/// belongs, a fraction, a word, a number out of range) is refused naming the option and the
/// range: core::InputError.
long long parse_option_number(const std::string& name, const std::string& text, long long min,
                              long long max);

/// A number of seconds, 0 to `max_seconds`.
void add_seconds_option(CLI::App& subcommand, const std::string& name, std::optional<int>& value,
                        int max_seconds, const std::string& help);

/// A count, `min` to `max` (history --limit).
void add_count_option(CLI::App& subcommand, const std::string& name, std::size_t& value,
                      std::size_t min, std::size_t max, const std::string& help);

/// --color=auto|always|never (cli/view/colour.h); anything else is refused naming the choices.
void add_color_option(CLI::App& subcommand, ColorChoice& value);

/// The view a command shows its rollout (or verification) in: JSON events with --json, else
/// the live terminal view on a terminal, else plain lines; coloured as `color` and NO_COLOR say.
std::unique_ptr<RolloutView> make_command_view(bool json, ColorChoice color, CliWorld& world);

}  // namespace drover::cli
