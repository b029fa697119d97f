#pragma once
// Login probe for images without a suitable HEALTHCHECK: the bot is logged in once a line of
// its container's log, since the container last started, matches a regular expression
// (e.g. log:Logged into Steam as \S+).
#include <regex>
#include <string>

#include "agent/login_probe.h"
#include "docker/container_runtime.h"

namespace drover::agent {

class LogLoginProbe final : public LoginProbe {
 public:
  /// Throws std::invalid_argument when `pattern` is empty, too long or not an ECMAScript
  /// regular expression, so a bad spec fails when parsed, not during a rollout.
  LogLoginProbe(const std::string& pattern, docker::ContainerRuntime& runtime);
  LoginReading check(int bot_id, const docker::ContainerInfo& container) override;

  /// Longest accepted pattern, and how much of each log line is searched (std::regex
  /// backtracks recursively; bounding both keeps a hostile line from exhausting the stack).
  static constexpr std::size_t max_pattern_length = 1024;
  static constexpr std::size_t max_searched_line_length = 4096;

 private:
  std::string pattern_;
  std::regex regex_;
  docker::ContainerRuntime& runtime_;
};

}  // namespace drover::agent
