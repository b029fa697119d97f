#include "cli/commands/command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>

#include "core/input_error.h"
#include "core/printable_text.h"

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

long long parse_option_number(const std::string& name, const std::string& text, long long min,
                              long long max) {
  const auto range = fmt::format("give a whole number from {} to {}", min, max);
  long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || stop != end ||
      (error != std::errc() && error != std::errc::result_out_of_range)) {
    throw core::InputError(
        name, fmt::format("'{}' is not a whole number", core::printable(text, core::kQuotedBytes)),
        range);
  }
  if (error == std::errc::result_out_of_range || value < min || value > max) {
    throw core::InputError(
        name, fmt::format("{} is out of range", core::printable(text, core::kQuotedBytes)), range);
  }
  return value;
}

void add_seconds_option(CLI::App& subcommand, const std::string& name, std::optional<int>& value,
                        int max_seconds, const std::string& help) {
  subcommand.add_option_function<std::string>(
      name,
      [&value, name, max_seconds](const std::string& text) {
        value = static_cast<int>(parse_option_number(name, text, 0, max_seconds));
      },
      help);
}

void add_count_option(CLI::App& subcommand, const std::string& name, std::size_t& value,
                      std::size_t min, std::size_t max, const std::string& help) {
  subcommand.add_option_function<std::string>(
      name,
      [&value, name, min, max](const std::string& text) {
        value = static_cast<std::size_t>(parse_option_number(
            name, text, static_cast<long long>(min), static_cast<long long>(max)));
      },
      help);
}

void add_color_option(CLI::App& subcommand, ColorChoice& value) {
  subcommand.add_option_function<std::string>(
      "--color",
      [&value](const std::string& text) {
        const auto choice = parse_color_choice(text);
        if (!choice) {
          throw core::InputError(
              "--color",
              fmt::format("'{}' is not a colour choice", core::printable(text, core::kQuotedBytes)),
              "give auto, always or never");
        }
        value = *choice;
      },
      "colour ok / failed / warning: auto (on a terminal, unless NO_COLOR is set), always, never");
}

std::unique_ptr<RolloutView> make_command_view(bool json, ColorChoice color, CliWorld& world) {
  const auto mode = output_mode(json, world.terminal);
  const bool colour = mode != OutputMode::json &&
                      colour_enabled(color, mode == OutputMode::terminal, world.env("NO_COLOR"));
  return make_view(mode, world.terminal, world.clock, colour);
}

}  // namespace drover::cli
