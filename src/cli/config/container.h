#pragma once
// The [container] section of drover.toml: the template a bot's container is created from when
// its host has no bot<ID> yet (a new bot, or a host being filled). It is a Docker Engine API
// create body written as TOML, `{id}` standing for the bot id in any string; drover-agent adds
// the image being deployed and its safeguards (read-only resolv.conf). Either
//
//   [container]
//   env = ["BOT_ID={id}"]                             # Docker's Env; keys fold: Env, env
//   host_config = { restart_policy = { name = "unless-stopped" } }
//
// or, for a body kept as JSON elsewhere, exactly one key:
//
//   [container]
//   template_json = '{"Env":["BOT_ID={id}"]}'
//
// Keys are checked against docker_schema.h at every level Docker defines, and written
// out in Docker's spelling, so what reaches the agent is what Docker will read.
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/config/table.h"

namespace drover::cli {

/// The create body (a JSON object, Docker's key spelling), or nullopt when there is no
/// [container] section. Throws core::InputError naming the line and key of a mistake.
std::optional<nlohmann::json> read_container_template(const std::optional<ConfigTable>& section);

}  // namespace drover::cli
