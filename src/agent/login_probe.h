#pragma once
// Whether a bot has finished logging into Steam, as an interface. The operator guide reports
// every bot as "logged into Steam" or "not logged in yet"; how that is known differs per fleet,
// so the agent is told a probe spec (see make_login_probe) and builds one of the real probes:
//   health                    the container's Docker HEALTHCHECK status
//   log:REGEX                 a line of the container's log since it started matches REGEX
//   redis:HOST:PORT/KEY=VALUE the bot writes VALUE to KEY ({id} = bot id) once logged in
// Probes never throw and never gate a swap: a probe that cannot tell says `unknown` and why.
#include <memory>
#include <string>

#include "core/agent_report.h"
#include "docker/container_runtime.h"

namespace drover::agent {

/// The same states the operator's drover parses from the agent's JSON (core/agent_report.h).
using LoginState = core::LoginState;

struct LoginReading {
  LoginState state = LoginState::unknown;
  std::string detail;  // why, for humans: "healthcheck says healthy", "key bot:7:login missing"
};

class LoginProbe {
 public:
  virtual ~LoginProbe() = default;
  /// Judges bot `bot_id` whose container is `container` (as last inspected by the caller; an
  /// empty id and name mean the bot has no container). Never throws: failures of the probe
  /// itself (engine or Redis unreachable, bad reply) are LoginState::unknown with a detail.
  virtual LoginReading check(int bot_id, const docker::ContainerInfo& container) = 0;
};

/// Parses a probe spec and builds the probe. Throws std::invalid_argument whose message says
/// what is wrong with the spec and lists the accepted forms. `runtime` must outlive the probe.
std::unique_ptr<LoginProbe> make_login_probe(const std::string& spec,
                                             docker::ContainerRuntime& runtime);

/// The spec text made safe to echo in an error message: control bytes escaped, long specs cut.
std::string printable_spec(const std::string& spec);

}  // namespace drover::agent
