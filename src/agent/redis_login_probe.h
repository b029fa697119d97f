#pragma once
// Login probe for fleets where each bot records its own Steam login in Redis: the bot is
// logged in when GET <key> returns the expected value. The probe opens one short connection per
// check (2 s connect and 2 s reply timeouts), so a slow or absent Redis costs seconds, not a hang.
//
// HOST must be an IP address: drover-agent is linked fully static, and a static glibc binary
// cannot load the NSS modules the system resolver needs, so names are refused when the spec is
// parsed instead of failing on every host at rollout time. AUTH is not supported yet (no
// password in the spec); a Redis that requires one answers NOAUTH, reported as `unknown`.
#include <string>

#include "agent/login_probe.h"
#include "docker/container_runtime.h"

namespace drover::agent {

/// What a `redis:HOST:PORT/KEY_TEMPLATE=VALUE` spec names.
struct RedisProbeTarget {
  std::string host;  // a numeric IPv4 or IPv6 address (no brackets); localhost → 127.0.0.1
  int port = 0;      // 1..65535
  std::string key_template;  // contains {id} at least once; no other {placeholder}
  std::string expected;      // the value that means "logged in" (may be empty)

  /// The key for one bot: every {id} replaced by the bot id.
  std::string key_for(int bot_id) const;
  /// "127.0.0.1:6379" or "[::1]:6379", for details.
  std::string address() const;
};

/// Parses the part after "redis:". Throws std::invalid_argument saying what is wrong.
RedisProbeTarget parse_redis_probe_target(const std::string& text);

class RedisLoginProbe final : public LoginProbe {
 public:
  RedisLoginProbe(RedisProbeTarget target, docker::ContainerRuntime& runtime)
      : target_(std::move(target)), runtime_(runtime) {}
  /// GET key == expected → logged_in; missing or different → not_logged_in;
  /// Redis unreachable, timing out or answering an error → unknown.
  LoginReading check(int bot_id, const docker::ContainerInfo& container) override;

  const RedisProbeTarget& target() const { return target_; }

 private:
  RedisProbeTarget target_;
  docker::ContainerRuntime& runtime_;
};

}  // namespace drover::agent
