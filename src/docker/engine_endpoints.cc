#include "docker/engine_endpoints.h"

#include <stdexcept>

namespace drover::docker {

bool is_safe_path_param(std::string_view param) {
  for (;;) {
    const auto slash = param.find('/');
    const auto segment = param.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    param.remove_prefix(slash + 1);
  }
}

std::string request_target(const Endpoint& endpoint, std::string_view param,
                           const QueryString& query) {
  std::string target = "/";
  target += kEngineApiVersion;
  const auto open = endpoint.path.find('{');
  if (open == std::string_view::npos) {
    target += endpoint.path;
  } else {
    const auto close = endpoint.path.find('}', open);
    if (!is_safe_path_param(param)) {
      const auto name = endpoint.path.substr(open + 1, close - open - 1);
      throw std::invalid_argument("invalid " + std::string(name) + " \"" + std::string(param) +
                                  "\" for " + std::string(endpoint.path));
    }
    target += endpoint.path.substr(0, open);
    target += percent_encode(param);
    target += endpoint.path.substr(close + 1);
  }
  target += query.str();
  return target;
}

}  // namespace drover::docker
