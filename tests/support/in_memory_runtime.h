#pragma once
// An in-memory ContainerRuntime for unit tests. It models just enough of Docker (names,
// images, container states, health, rename collisions) for the swap to be exercised, and
// it can fail any call or "crash" before or after any call's effect. Every call is
// recorded so tests can assert on what was asked.
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "docker/container_runtime.h"
#include "util/clock.h"

namespace drover::testing {

/// Thrown to simulate the agent being killed: deliberately not a RuntimeError, so the
/// code under test cannot catch and handle it the way it handles engine errors.
struct SimulatedCrash {
  int call = 0;
};

/// How containers started from an image behave, over the runtime's clock.
struct FakeImageBehavior {
  bool exits_at_start = false;  // the container is "exited" right after start
  int exit_code = 0;
  bool unhealthy = false;     // health is "unhealthy" (only when the config has a Healthcheck)
  std::string health_output;  // what the latest health probe printed (State.Health.Log)
  std::vector<std::string> log_lines;
  /// The engine reports the container "created" (not running) for this long after start.
  Duration process_starts_after{0};
  /// The process exits with exit_code this long after each start; with a restart policy the
  /// engine starts it again 100 ms later (Restarting in between), as Docker does.
  std::optional<Duration> exits_after;
  /// RestartCount follows the restarts (false: an engine whose count misses them).
  bool restarts_counted = true;
  /// The engine's event log records what happens (false: an engine whose log lost it).
  bool events_logged = true;
  /// Health (with a Healthcheck) is "starting" for this long after each start, then
  /// "healthy" (or "unhealthy" with `unhealthy`); nullopt: "starting" for ever.
  std::optional<Duration> healthy_after = Duration(0);
};

class InMemoryRuntime final : public docker::ContainerRuntime {
 public:
  /// Containers live on `clock`: their StartedAt, health and exits follow its time.
  explicit InMemoryRuntime(Clock& clock) : clock_(clock) {}

  /// Makes `ref` pullable (as if pushed to a registry). Returns the image id.
  std::string publish_image(const std::string& ref, nlohmann::json config,
                            FakeImageBehavior behavior = {});
  /// Creates and starts a container directly, bypassing fault injection.
  std::string add_running_container(const std::string& name, const std::string& image_ref,
                                    nlohmann::json body = nlohmann::json::object());

  // Fault injection. Calls are numbered from 1 in the order they arrive.
  void fail_call(int n, int status = 500) { fail_calls_[n] = status; }
  void crash_before_call(int n) { crash_before_ = n; }
  void crash_after_call(int n) { crash_after_ = n; }
  void clear_faults();
  /// Makes every call of this operation (e.g. "pull_image") fail.
  void fail_operation(const std::string& op, int status = 500) { fail_ops_[op] = status; }
  /// Makes the registry private: pulls and manifest requests succeed only with this
  /// X-Registry-Auth value; others fail as the engine reports a registry's 401.
  void require_registry_auth(std::string registry_auth) {
    required_auth_ = std::move(registry_auth);
  }
  /// The X-Registry-Auth values pulls were sent with, in order.
  std::vector<std::string> pull_auths() const;
  /// Makes the engine appear down.
  void set_unreachable(bool down) { unreachable_ = down; }
  /// Adds an entry to the engine's event log for that container, now (an event the
  /// container's state does not show, e.g. a die the inspect missed).
  void log_event(const std::string& name_or_id, const std::string& action,
                 std::map<std::string, std::string> attributes = {});
  /// Sets the StartedAt the engine reports for a running container (a restart the
  /// RestartCount and the event log both missed).
  void set_started_at(const std::string& name_or_id, const std::string& rfc3339);

  int call_count() const;
  std::vector<std::string> calls() const;
  std::vector<docker::ContainerInfo> containers() const;
  std::set<std::string> local_images() const;
  std::int64_t prunable_bytes() const;

  // ContainerRuntime
  void ping() override;
  std::string data_root() override;
  std::optional<docker::ContainerInfo> inspect_container(const std::string& name_or_id) override;
  std::optional<docker::ImageInfo> inspect_image(const std::string& ref) override;
  docker::ImageInfo pull_image(const std::string& ref, const std::string& registry_auth) override;
  std::string registry_manifest_digest(const std::string& ref,
                                       const std::string& registry_auth) override;
  std::string create_container(const std::string& name, const nlohmann::json& body) override;
  void start_container(const std::string& id) override;
  void stop_container(const std::string& id, std::chrono::seconds timeout) override;
  void rename_container(const std::string& id, const std::string& new_name) override;
  void remove_container(const std::string& id) override;
  std::vector<std::string> container_logs(const std::string& id, int tail,
                                          std::int64_t since_unix) override;
  std::vector<docker::ContainerEvent> container_events(const std::string& id,
                                                       std::int64_t since_unix_nanos,
                                                       std::int64_t until_unix_nanos) override;
  docker::PruneResult prune_images() override;
  bool remove_image_if_unused(const std::string& id) override;

 private:
  struct Image {
    docker::ImageInfo info;
    FakeImageBehavior behavior;
  };
  struct Container {
    docker::ContainerInfo info;
    std::optional<TimePoint> run_begins;   // the current run's start (scheduled or past)
    std::optional<TimePoint> restarts_at;  // while Restarting: when the engine starts it again
  };

  /// Records the call and applies any injected failure or crash-before. Returns the call
  /// number so the effect can be followed by after_call().
  int begin_call(const std::string& what);
  void after_call(int n);
  Container* find_container(const std::string& name_or_id);
  const Image* find_image(const std::string& ref) const;
  void start_locked(Container& c);
  /// Plays the container's behaviour forward to the clock's now.
  void advance_locked(Container& c);
  void begin_run_locked(Container& c, TimePoint at);
  void record_event_locked(const Container& c, const std::string& action, TimePoint at,
                           std::map<std::string, std::string> attributes = {});
  std::string rfc3339_at(TimePoint at) const;
  std::int64_t unix_nanos_at(TimePoint at) const;

  Clock& clock_;
  mutable std::recursive_mutex mutex_;
  std::vector<std::pair<std::string, docker::ContainerEvent>> events_;  // container id, event
  std::map<std::string, Image> registry_;                               // ref -> image
  std::map<std::string, Image> images_;                                 // id -> local image
  std::map<std::string, std::string> tags_;                             // local ref -> id
  std::map<std::string, Container> containers_;                         // id -> container
  int next_id_ = 1;
  std::vector<std::string> calls_;
  std::map<int, int> fail_calls_;
  std::map<std::string, int> fail_ops_;
  int crash_before_ = 0;
  int crash_after_ = 0;
  bool unreachable_ = false;
  std::optional<std::string> required_auth_;
  std::vector<std::string> pull_auths_;
};

}  // namespace drover::testing
