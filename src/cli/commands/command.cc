#include "cli/commands/command.h"

#include <CLI/CLI.hpp>

namespace drover::cli {

void add_fleet_options(CLI::App& subcommand, FleetOptions& options) {
  add_text_option(subcommand, "--config", options.config,
                  "drover.toml to use (else $DROVER_CONFIG, ./drover.toml)");
  add_text_option(subcommand, "--region", options.aws.region,
                  "AWS region (ssm transport, discovery)");
  add_text_option(subcommand, "--profile", options.aws.profile,
                  "AWS credentials profile (ssm transport, discovery)");
}

void add_text_option(CLI::App& subcommand, const std::string& name,
                     std::optional<std::string>& value, const std::string& help) {
  subcommand.add_option_function<std::string>(
      name,
      [&value](const std::string& text) {
        value = text.empty() ? std::nullopt : std::optional(text);
      },
      help);
}

void add_seconds_option(CLI::App& subcommand, const std::string& name, std::optional<int>& value,
                        const std::string& help) {
  subcommand.add_option_function<int>(
      name,
      [&value](const int& seconds) { value = seconds < 0 ? std::nullopt : std::optional(seconds); },
      help);
}

}  // namespace drover::cli
