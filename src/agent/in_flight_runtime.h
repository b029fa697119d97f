#pragma once
// The agent's engine, with the requests that change a bot's containers (create, start, stop,
// rename, remove) recorded in the host lock while they are in flight (agent/host_lock.h). An
// agent killed mid-swap leaves them to dockerd, which finishes them after its client is gone;
// the next agent on the host reads the record and waits until they have landed before it
// reads any bot's state. Reads, pulls and image removals are not recorded: none of them
// changes which container a bot has or whether it runs.
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "agent/host_lock.h"
#include "agent/in_flight_request.h"
#include "docker/container_runtime.h"
#include "util/clock.h"

namespace drover::agent {

/// How long dockerd may take to finish a create, start, rename or remove whose client died,
/// beyond a graceful stop's own timeout. Generous on purpose: waiting it out costs only the
/// recovery that follows a crash, and only while the crash is this recent.
inline constexpr Duration kEngineRequestLandingTime = std::chrono::seconds(5);

class InFlightRecordingRuntime final : public docker::ContainerRuntime {
 public:
  InFlightRecordingRuntime(docker::ContainerRuntime& engine, HostLock& record, Clock& clock)
      : engine_(engine), record_(record), clock_(clock) {}

  void ping() override { engine_.ping(); }
  std::string data_root() override { return engine_.data_root(); }
  std::optional<docker::ContainerInfo> inspect_container(const std::string& name_or_id) override {
    return engine_.inspect_container(name_or_id);
  }
  std::optional<docker::ImageInfo> inspect_image(const std::string& ref) override {
    return engine_.inspect_image(ref);
  }
  docker::ImageInfo pull_image(const std::string& ref, const std::string& registry_auth) override {
    return engine_.pull_image(ref, registry_auth);
  }
  std::string registry_manifest_digest(const std::string& ref,
                                       const std::string& registry_auth) override {
    return engine_.registry_manifest_digest(ref, registry_auth);
  }
  std::vector<std::string> container_logs(const std::string& id, int tail,
                                          std::int64_t since_unix) override {
    return engine_.container_logs(id, tail, since_unix);
  }
  std::vector<docker::ContainerEvent> container_events(const std::string& id,
                                                       std::int64_t since_unix_nanos,
                                                       std::int64_t until_unix_nanos) override {
    return engine_.container_events(id, since_unix_nanos, until_unix_nanos);
  }
  docker::PruneResult prune_images() override { return engine_.prune_images(); }
  bool remove_image_if_unused(const std::string& id) override {
    return engine_.remove_image_if_unused(id);
  }

  std::string create_container(const std::string& name, const nlohmann::json& body) override;
  void start_container(const std::string& id) override;
  void stop_container(const std::string& id, std::chrono::seconds timeout) override;
  void rename_container(const std::string& id, const std::string& new_name) override;
  void remove_container(const std::string& id) override;

 private:
  // One request in the record, from before it is sent until its answer (or the engine's
  // error) is back. A request that got no answer at all (the connection failed or timed out:
  // RuntimeError::unreachable) may still land, so it stays in the record until its land-by.
  class InFlight {
   public:
    InFlight(InFlightRecordingRuntime& runtime, InFlightRequest request);
    ~InFlight();
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

    /// Runs the request; records it as unanswered when the engine gave no answer.
    template <typename Send>
    auto send(Send&& send_request) {
      try {
        return send_request();
      } catch (const docker::RuntimeError& e) {
        if (e.unreachable()) {
          unanswered_ = true;
        }
        throw;
      }
    }

   private:
    InFlightRecordingRuntime& runtime_;
    std::uint64_t key_;
    bool unanswered_ = false;
  };

  InFlightRequest request(InFlightRequest::Action action, std::string container,
                          Duration longest = kEngineRequestLandingTime);
  // Rewrites the record from in_flight_ and unanswered_ (dropping those past their land-by);
  // the caller holds mutex_.
  void write_record();

  docker::ContainerRuntime& engine_;
  HostLock& record_;
  Clock& clock_;
  std::mutex mutex_;
  std::uint64_t next_key_ = 0;
  std::map<std::uint64_t, InFlightRequest> in_flight_;  // in the order they were sent
  std::vector<InFlightRequest> unanswered_;             // sent, never answered, maybe still to land
};

}  // namespace drover::agent
