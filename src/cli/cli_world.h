#pragma once
// Everything the drover commands touch outside their own memory, built once in main.
#include <atomic>
#include <functional>
#include <memory>

#include "cli/aws/apis.h"
#include "cli/config/drover_toml.h"
#include "cli/state/state_dir.h"
#include "cli/view/rollout_view.h"
#include "cli/view/terminal.h"
#include "core/transport.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::cli {

struct CliWorld {
  Terminal& terminal;
  Clock& clock;
  Random& random;
  EnvLookup env;
  /// Set by the SIGINT handler: stop starting hosts.
  const std::atomic<bool>& interrupt_requested;
  /// The transport the configuration asks for.
  std::function<std::unique_ptr<core::Transport>(const DroverConfig&)> make_transport;
  /// The wall clock as RFC 3339 UTC, for plans and journals (core reads no clock).
  std::function<std::string()> now_utc;
  std::string command_line;  // for the lock and the journal: "drover deploy all routine -y"
  /// AWS for the ssm transport, fleet discovery, the Parameter Store lock and inventory.
  AwsConnect aws;
};

}  // namespace drover::cli
