#include "cli/commands/fleet_services.h"

#include <fmt/format.h>

#include "cli/lock/parameter_store_lock.h"
#include "cli/state/state_dir.h"

namespace drover::cli {

ConfigOverrides config_overrides(const AwsFlags& flags, CliWorld& world) {
  ConfigOverrides overrides;
  overrides.region = flags.region;
  overrides.profile = flags.profile;
  overrides.discover = [&world](const AwsSettings& aws, const std::string&) {
    return discover_hosts(world.aws(aws).ec2, aws);
  };
  return overrides;
}

DroverConfig load_fleet_config(const FleetOptions& options, CliWorld& world) {
  return load_config(options.config, config_overrides(options.aws, world));
}

std::unique_ptr<FleetLock> make_fleet_lock(const DroverConfig& config, CliWorld& world) {
  if (config.transport == TransportKind::ssm) {
    return make_parameter_store_lock(world.aws(config.aws).ssm, config.aws.lock_parameter,
                                     config.fleet.name(), world.lock_environment);
  }
  auto state = StateDir::open_for(world.env, config.fleet);
  return make_file_lock(state.lock_file(), config.fleet.name(), world.lock_environment);
}

std::unique_ptr<transport::SsmTransport> make_ssm_transport(const DroverConfig& config,
                                                            const AwsApis& apis, Clock& clock,
                                                            Random& random,
                                                            const std::atomic<bool>& interrupted) {
  transport::SsmTransportOptions options;
  options.agent_path = config.agent_path.value_or(transport::kSsmDefaultAgentPath);
  options.agent_url = config.aws.agent_url;
  options.poll_interval = config.aws.poll_interval;
  options.comment = "drover " + config.fleet.name();
  options.run_token = fmt::format("{:08x}", random.uniform(0, 0xffffffff));
  auto transport = std::make_unique<transport::SsmTransport>(apis.ssm, clock, interrupted, options,
                                                             apis.ssm_pages());
  transport->preflight(config.fleet.hosts());
  return transport;
}

}  // namespace drover::cli
