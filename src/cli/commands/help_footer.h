#pragma once
// The text `drover --help` ends with: the guide's examples in drover's words, then every exit
// code on its own line, so an operator (or a script's author) finds both without the README.
namespace drover::cli {

extern const char* const kHelpFooter;

}  // namespace drover::cli
