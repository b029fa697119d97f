#pragma once
// What the commands get from the configuration once AWS may be involved: the config itself
// (with --region/--profile applied and discovered hosts filled in), the fleet's deploy lock
// (a file for local/ssh, Parameter Store for ssm) and the ssm transport.
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli_world.h"
#include "cli/lock/fleet_lock.h"
#include "transport/ssm/ssm_transport.h"

namespace drover::cli {

/// --region and --profile as typed (empty: not given).
struct AwsFlags {
  std::optional<std::string> region;
  std::optional<std::string> profile;
};

/// What every command takes to find its fleet: --config, --region and --profile.
struct FleetOptions {
  std::optional<std::string> config;  // --config FILE; else $DROVER_CONFIG, ./drover.toml
  AwsFlags aws;
};

/// The overrides for load_config: the flags, and discovery through world.aws.
ConfigOverrides config_overrides(const AwsFlags& flags, CliWorld& world);

/// load_config with those overrides.
DroverConfig load_fleet_config(const FleetOptions& options, CliWorld& world);

/// The fleet's deploy lock, chosen by transport.
std::unique_ptr<FleetLock> make_fleet_lock(const DroverConfig& config, CliWorld& world);

/// The ssm transport for `config`, preflighted (every host's SSM state asked once). Throws
/// aws::AwsError when AWS refuses.
std::unique_ptr<transport::SsmTransport> make_ssm_transport(const DroverConfig& config,
                                                            const AwsApis& apis, Clock& clock,
                                                            Random& random,
                                                            const std::atomic<bool>& interrupted);

}  // namespace drover::cli
