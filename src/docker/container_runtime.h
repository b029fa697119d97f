#pragma once
// The container operations the agent needs, as an interface. The real side speaks the
// Docker Engine API over /var/run/docker.sock (engine_runtime.h); the test side is an
// in-memory runtime that can fail or "crash" at any call (tests/support/in_memory_runtime.h).
#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace drover::docker {

/// A failed runtime call. `status` is the engine's HTTP status (0 when the engine
/// could not be reached at all); `what()` is the engine's own message.
class RuntimeError : public std::runtime_error {
 public:
  RuntimeError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }
  bool unreachable() const { return status_ == 0; }

 private:
  int status_;
};

struct ContainerState {
  std::string status;  // created | running | paused | restarting | removing | exited | dead
  bool running = false;
  bool restarting = false;
  int exit_code = 0;
  bool oom_killed = false;
  std::string health;  // "" when the image has no HEALTHCHECK; else starting | healthy | unhealthy
  std::string health_output;  // what the latest health probe printed (State.Health.Log), trimmed
  std::string started_at;     // RFC 3339, as the engine reports it (the latest start)
  std::string finished_at;    // RFC 3339: the latest exit ("0001-01-01T00:00:00Z": none yet)
  std::string error;
};

struct ContainerInfo {
  std::string id;
  std::string name;       // without the leading '/'
  std::string image_id;   // sha256:...
  std::string image_ref;  // Config.Image: the reference it was created from
  std::string created;    // RFC 3339: when the engine created it
  ContainerState state;
  int restart_count = 0;
  nlohmann::json config;       // the inspect document's Config (ContainerConfig)
  nlohmann::json host_config;  // HostConfig
  nlohmann::json networks;     // NetworkSettings.Networks
};

struct ImageInfo {
  std::string id;  // sha256:...
  std::vector<std::string> repo_tags;
  std::vector<std::string> repo_digests;  // repo@sha256:...
  nlohmann::json config;  // the image's Config: Cmd, Entrypoint, Env, Healthcheck...
  std::int64_t size = 0;
};

/// One entry of the engine's event log for a container (`docker events`): what happened to
/// it and when. Actions drover reads: start, die (attributes: exitCode), oom, kill, stop,
/// restart, pause, "health_status: healthy|unhealthy|starting".
struct ContainerEvent {
  std::string action;
  std::int64_t time_unix_nanos = 0;
  std::map<std::string, std::string> attributes;
};

struct PruneResult {
  std::int64_t space_reclaimed = 0;
  std::vector<std::string> deleted;
};

class ContainerRuntime {
 public:
  virtual ~ContainerRuntime() = default;

  /// Throws RuntimeError when the engine does not answer.
  virtual void ping() = 0;
  /// The engine's data root (Docker's `DockerRootDir`), for the free-disk check.
  virtual std::string data_root() = 0;

  /// nullopt when no container has this exact name or id.
  virtual std::optional<ContainerInfo> inspect_container(const std::string& name_or_id) = 0;
  virtual std::optional<ImageInfo> inspect_image(const std::string& ref) = 0;

  /// Pulls `ref` (repo:tag or repo@sha256:...) and returns the local image. A registry
  /// error (unknown tag, auth, network) throws RuntimeError with the registry's message.
  /// `registry_auth` is the X-Registry-Auth value (registry/registry_auth_header.h) the engine
  /// authenticates to the registry with; empty: anonymously.
  virtual ImageInfo pull_image(const std::string& ref, const std::string& registry_auth) = 0;

  /// Asks the registry, through the engine and with `registry_auth`, for `ref`'s manifest
  /// (`GET /distribution/{name}/json`): nothing is pulled. Returns the manifest's digest.
  /// Throws RuntimeError with the registry's message when it refuses or has no such manifest.
  virtual std::string registry_manifest_digest(const std::string& ref,
                                               const std::string& registry_auth) = 0;

  /// Docker create body: ContainerConfig fields plus HostConfig and NetworkingConfig.
  virtual std::string create_container(const std::string& name, const nlohmann::json& body) = 0;
  virtual void start_container(const std::string& id) = 0;
  /// Graceful stop: SIGTERM (or the container's StopSignal), SIGKILL after `timeout`.
  virtual void stop_container(const std::string& id, std::chrono::seconds timeout) = 0;
  virtual void rename_container(const std::string& id, const std::string& new_name) = 0;
  /// Force-removes the container (and its anonymous volumes are kept).
  virtual void remove_container(const std::string& id) = 0;

  /// The container's stdout+stderr lines, the last `tail` (all when tail <= 0).
  /// `since_unix` > 0 keeps only lines logged at or after that time.
  virtual std::vector<std::string> container_logs(const std::string& id, int tail,
                                                  std::int64_t since_unix = 0) = 0;

  /// The engine's record of what happened to container `id` between the two times (Unix
  /// nanoseconds; `until` must not be in the future), oldest first. This is evidence the
  /// container cannot erase by looking fine at the moment we inspect it.
  virtual std::vector<ContainerEvent> container_events(const std::string& id,
                                                       std::int64_t since_unix_nanos,
                                                       std::int64_t until_unix_nanos) = 0;

  /// `docker image prune -af`: removes every image no container uses. The engine refuses
  /// (409) while another prune runs.
  virtual PruneResult prune_images() = 0;
  /// Removes image `id` (and its tags) unless a container uses it: never forced, so the
  /// engine itself refuses (409) while any container, running or not, was created from it.
  /// True when it was removed or was already gone; false when the engine refused. An image
  /// with several repositories or tags is refused too (Docker deletes by id only images
  /// whose references are one repository with at most one tag).
  virtual bool remove_image_if_unused(const std::string& id) = 0;
};

}  // namespace drover::docker
