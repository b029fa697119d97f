#pragma once
// fleet.login_probe: how the agents tell whether a bot has logged into Steam. drover passes the
// spec to every agent (--login-probe), which has the last word on it; this check catches what
// can be known from the text alone when drover.toml is loaded, so a typo stops the deploy
// before it starts instead of making every host report "unknown" mid-rollout.
//   health                      the container's Docker HEALTHCHECK status
//   log:REGEX                   a line of the bot's log matches the ECMAScript REGEX
//   redis:IP:PORT/KEY=VALUE     GET KEY ({id} = bot id) equals VALUE; IP is an IPv4 address,
//                               a bracketed IPv6 address or localhost (the agent is static and
//                               cannot resolve names)
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

/// What is wrong with `spec`, or nullopt when the agent will accept it.
std::optional<std::string> login_probe_problem(std::string_view spec);

/// The accepted forms, for the fix part of an error.
std::string_view login_probe_forms();

}  // namespace drover::cli
