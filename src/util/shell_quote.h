#pragma once
// The one place a command line becomes shell text. Remote transports have no argv: ssh hands
// the remote side one string that the login shell parses, and SSM runs a script with /bin/sh.
// Every argument drover sends that way goes through shell_quote, so what the host's shell sees
// is exactly the argv drover meant, whatever bytes an argument holds.
#include <string>
#include <string_view>
#include <vector>

namespace drover {

/// `word` as one POSIX shell word: left bare when it is only characters no shell treats
/// specially (letters, digits, and `_-./:=@%+,`), otherwise in single quotes with each `'`
/// written as `'\''`. The empty string becomes `''`. Throws std::invalid_argument for a NUL
/// byte, which no argv can carry.
std::string shell_quote(std::string_view word);

/// The argv as one shell command line: each word shell_quote'd, joined by single spaces.
/// Throws std::invalid_argument for an empty argv.
std::string shell_command(const std::vector<std::string>& argv);

}  // namespace drover
