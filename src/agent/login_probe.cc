#include "agent/login_probe.h"

#include <cstdio>
#include <stdexcept>

#include "agent/login_probe_health.h"
#include "agent/login_probe_log.h"
#include "agent/redis_login_probe.h"

namespace drover::agent {
namespace {

const char* const accepted_forms =
    "accepted forms: 'health' (the container's Docker HEALTHCHECK), 'log:REGEX' (a line of the "
    "container's log since it started matches the ECMAScript REGEX), "
    "'redis:HOST:PORT/KEY_TEMPLATE=VALUE' (GET KEY_TEMPLATE with {id} = bot id equals VALUE; "
    "HOST an IP address or localhost, e.g. redis:127.0.0.1:6379/bot:{id}:login=ok)";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

[[noreturn]] void reject(const std::string& spec, const std::string& what) {
  throw std::invalid_argument("login probe '" + printable_spec(spec) + "': " + what + "; " +
                              accepted_forms);
}

}  // namespace

std::string printable_spec(const std::string& spec) {
  constexpr std::size_t longest_shown = 200;
  std::string out;
  for (std::size_t i = 0; i < spec.size() && i < longest_shown; ++i) {
    auto byte = static_cast<unsigned char>(spec[i]);
    if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += spec[i];
    }
  }
  if (spec.size() > longest_shown) out += "...";
  return out;
}

std::unique_ptr<LoginProbe> make_login_probe(const std::string& spec,
                                             docker::ContainerRuntime& runtime) {
  // Each form's own parser explains its mistakes; this adds the spec and the accepted forms
  // so the operator sees everything needed to correct it in one message.
  try {
    if (spec == "health") return std::make_unique<HealthLoginProbe>(runtime);
    if (starts_with(spec, "log:")) return std::make_unique<LogLoginProbe>(spec.substr(4), runtime);
    if (starts_with(spec, "redis:")) {
      return std::make_unique<RedisLoginProbe>(parse_redis_probe_target(spec.substr(6)), runtime);
    }
  } catch (const std::invalid_argument& e) {
    reject(spec, e.what());
  }
  if (spec.empty()) reject(spec, "the spec is empty");
  reject(spec, "unknown kind of probe");
}

}  // namespace drover::agent
