#pragma once
// A Docker Engine API client: HTTP/1.1 over the engine's unix socket (Boost.Beast on
// Asio's local stream sockets, header-only, so the fully static agent needs no libcurl).
//
// One connection per request, no shared mutable state: one client may be used from
// several threads at once. Response bodies have no size limit; large or long-running
// bodies (pull progress, logs) can be streamed to a sink as they arrive.
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "docker/container_runtime.h"
#include "docker/engine_endpoints.h"
#include "util/percent_encoding.h"

namespace drover::docker {

inline constexpr std::string_view kDefaultDockerSocket = "/var/run/docker.sock";

/// The socket to use given the value of DOCKER_HOST (nullptr or "" when unset):
/// the default socket, or PATH for "unix://PATH". Any other scheme (tcp://, ssh://, npipe://)
/// throws RuntimeError(0, ...) saying only unix sockets are supported.
std::string docker_socket_path(const char* docker_host);

/// The message of an engine error reply: ErrorResponse's "message" when the body is one,
/// else the body's text, else a generic "HTTP <status>" line.
std::string engine_error_message(unsigned status, std::string_view body);

struct EngineRequest {
  Endpoint endpoint;
  std::string param;  // the value of the endpoint's {id}/{name}, if it has one (raw; encoded here)
  QueryString query;
  std::optional<nlohmann::json> body;  // sent as application/json when set
  /// Sent as given (X-Registry-Auth). Header values may be secrets: never put into a message.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Longest silence from the engine we accept before giving up (nullopt: wait forever).
  /// Silence is normal while the engine works (a stop waits for the container to exit),
  /// so callers that make the engine wait set it above that wait.
  std::optional<std::chrono::seconds> idle_timeout = std::chrono::minutes(5);
};

struct EngineResponse {
  unsigned status = 0;
  std::string body;  // empty when the body went to a sink
};

class EngineClient {
 public:
  /// Receives a successful response's body piece by piece, as it arrives.
  using BodySink = std::function<void(std::string_view chunk)>;

  explicit EngineClient(std::string socket_path);
  /// The client for $DOCKER_HOST (see docker_socket_path).
  static EngineClient from_environment();

  const std::string& socket_path() const { return socket_path_; }

  /// Sends the request on a new connection. A 2xx or 304 (the engine's "already so")
  /// response is returned; its body goes to `sink` when one is given. Any other status
  /// throws RuntimeError(status, engine's message); an engine that cannot be reached, drops
  /// the connection or stays silent past the idle timeout throws RuntimeError(0, ...).
  EngineResponse send(const EngineRequest& request, const BodySink& sink = {}) const;

 private:
  std::string socket_path_;
};

}  // namespace drover::docker
