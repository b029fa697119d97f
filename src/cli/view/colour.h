#pragma once
// Colour on the operator's terminal: green for what went well, red for what failed, yellow
// for a warning. `--color=auto|always|never` (deploy, rollback, verify) and NO_COLOR
// (https://no-color.org: any non-empty value turns colour off) decide: auto colours only a
// terminal and only when NO_COLOR is unset or empty; always and never are what they say (an
// explicit option wins over the environment, as no-color.org asks). JSON never has colour.
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

enum class ColorChoice { automatic, always, never };

/// The names --color takes: "auto", "always", "never".
inline constexpr std::string_view kColorChoices = "auto|always|never";

/// "auto" → automatic, "always", "never"; nullopt for anything else.
std::optional<ColorChoice> parse_color_choice(std::string_view text);

/// Whether output is coloured: `terminal` says whether stdout is an interactive terminal,
/// `no_color` is the NO_COLOR variable (nullopt when unset).
bool colour_enabled(ColorChoice choice, bool terminal, const std::optional<std::string>& no_color);

enum class Colour { ok, failed, warning };

/// `text` between the SGR sequences of `colour` (green, red, yellow) and a reset when `on`;
/// `text` unchanged otherwise.
std::string paint(std::string_view text, Colour colour, bool on);

}  // namespace drover::cli
