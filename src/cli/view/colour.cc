#include "cli/view/colour.h"

namespace drover::cli {

std::optional<ColorChoice> parse_color_choice(std::string_view text) {
  if (text == "auto") {
    return ColorChoice::automatic;
  }
  if (text == "always") {
    return ColorChoice::always;
  }
  if (text == "never") {
    return ColorChoice::never;
  }
  return std::nullopt;
}

bool colour_enabled(ColorChoice choice, bool terminal, const std::optional<std::string>& no_color) {
  switch (choice) {
    case ColorChoice::always:
      return true;
    case ColorChoice::never:
      return false;
    case ColorChoice::automatic:
      return terminal && (!no_color || no_color->empty());
  }
  return false;
}

std::string paint(std::string_view text, Colour colour, bool on) {
  if (!on) {
    return std::string(text);
  }
  std::string_view start;
  switch (colour) {
    case Colour::ok:
      start = "\033[32m";
      break;
    case Colour::failed:
      start = "\033[31m";
      break;
    case Colour::warning:
      start = "\033[33m";
      break;
  }
  return std::string(start) + std::string(text) + "\033[0m";
}

}  // namespace drover::cli
