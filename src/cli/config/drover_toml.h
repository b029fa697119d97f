#pragma once
// drover.toml: the fleet and how to deploy to it, read into core's types. Found by
// locate_config (--config, $DROVER_CONFIG, ./drover.toml). The schema:
//
//   [fleet]
//   name = "tradebot"                      # required: lower-case letters, digits, '.', '_', '-'
//   transport = "local"                    # local (default) | ssh | ssm
//   region = "eu-west-1"                   # ssm: see config/aws.h (also discover, [aws])
//   image = "127.0.0.1:5000/tradebot"      # required: the repository (no tag, no digest) used
//                                          # when the operator gives only a tag
//   default_tag = "latest"                 # the tag when the operator gives only a repository
//   agent_path = "/usr/local/bin/drover-agent"  # absolute; default: the transport's choice
//                                          # (local: drover-agent next to the drover binary)
//   login_probe = "health"                 # health | log:REGEX | redis:IP:PORT/KEY={id}=VALUE
//   disk_floor_mb = 1024                   # the agent refuses to swap below this free disk
//
//   [speeds.routine]                       # optional overrides: see config/speeds.h
//   [container]                            # optional create template: see config/container.h
//   [ssh]                                  # optional, transport = "ssh" only: see config/ssh.h
//   [notify]                               # optional webhooks: see config/notify.h
//
//   [[hosts]]                              # one per host, in rollout order; at least one
//                                          # (optional with discover = "ssm": found by tag)
//   name = "host-1"                        # required, unique
//   address = "10.0.0.5"                   # optional: how ssh/ssm reach it (default: name);
//                                          # ssh: host, user@host, host:port, [v6addr]:port
//                                          # for ssm the EC2 instance id "i-0123456789abcdef0"
//   bots = [539, 540, 541]                 # required, non-empty; an id on one host only
//   group = "production"                   # production (default) | staging
//
// Every key at every level is checked: an unknown key is an error (with "did you mean" when one
// is close), never silently ignored. Errors are core::InputError whose `where` names the file,
// the line and the key: "drover.toml:12: hosts[3].bots".
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/config/aws.h"
#include "cli/config/notify.h"
#include "core/fleet.h"
#include "core/speed_settings.h"
#include "transport/ssh/ssh_settings.h"

namespace drover::cli {

/// How drover reaches the hosts.
enum class TransportKind { local, ssh, ssm };

/// "local", "ssh", "ssm".
std::string_view to_string(TransportKind kind);

/// A loaded drover.toml. Invariants: every field has passed the checks above; image_repository
/// is a valid repository without tag or digest, and image_repository:default_tag is a valid
/// reference; container_template, when set, is a JSON object in Docker's key spelling.
struct DroverConfig {
  std::string source;  // the file it was read from, as shown in messages
  core::Fleet fleet;
  TransportKind transport = TransportKind::local;
  std::string image_repository;
  std::string default_tag = "latest";
  std::optional<std::string> agent_path;  // unset: the transport's default
  std::string login_probe = "health";
  std::int64_t disk_floor_mb = 1024;
  core::SpeedTable speeds;
  std::optional<nlohmann::json> container_template;
  transport::SshSettings ssh;  // transport = "ssh" only; the defaults otherwise
  AwsSettings aws;
  NotifySettings notify{};  // no webhooks unless [notify] lists some
};

/// Finds the hosts of a fleet whose drover.toml says discover = "ssm" (EC2 instances by tag).
/// The real side is cli/aws/fleet_discovery.h over AWS; tests pass their own. Throws
/// core::InputError for bad tags, aws::AwsError when AWS refuses.
using HostDiscovery =
    std::function<std::vector<core::Host>(const AwsSettings& aws, const std::string& fleet_name)>;

/// What the command line adds to the file: --region, --profile, and how to discover hosts.
struct ConfigOverrides {
  std::optional<std::string> region;
  std::optional<std::string> profile;
  HostDiscovery discover;  // empty: a config with discover = "ssm" is refused
};

/// Parses the text of a drover.toml; `source` names it in errors ("drover.toml").
/// With discover = "ssm", `overrides.discover` finds the hosts (added after any [[hosts]]).
DroverConfig parse_config(std::string_view text, const std::string& source,
                          const ConfigOverrides& overrides = {});

/// Reads and parses one file. Throws core::InputError when it cannot be read or is wrong.
DroverConfig load_config_file(const std::string& path, const ConfigOverrides& overrides = {});

/// locate_config(config_flag), then load_config_file.
DroverConfig load_config(const std::optional<std::string>& config_flag,
                         const ConfigOverrides& overrides = {});

}  // namespace drover::cli
