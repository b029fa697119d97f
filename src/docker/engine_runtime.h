#pragma once
// The real ContainerRuntime: the Docker Engine API (v1.41) over the engine's unix socket.
// Thread-safe: every call is one request on its own connection.
//
// Error statuses: the engine's HTTP status; 0 when it cannot be reached (or stays silent
// past the idle timeout); 400 for an argument rejected before sending (an invalid image
// reference, an empty id); for a pull that fails after the engine answered 200, the
// failure's errorDetail.code when it has one, else 500; 502 when a reply is malformed.
#include "docker/container_runtime.h"
#include "docker/engine_client.h"

namespace drover::docker {

class EngineRuntime final : public ContainerRuntime {
 public:
  /// The engine named by $DOCKER_HOST (default /var/run/docker.sock). Throws RuntimeError(0)
  /// when DOCKER_HOST uses a scheme other than unix://.
  EngineRuntime();
  explicit EngineRuntime(EngineClient client);

  void ping() override;
  std::string data_root() override;
  std::optional<ContainerInfo> inspect_container(const std::string& name_or_id) override;
  std::optional<ImageInfo> inspect_image(const std::string& ref) override;
  ImageInfo pull_image(const std::string& ref, const std::string& registry_auth) override;
  std::string registry_manifest_digest(const std::string& ref,
                                       const std::string& registry_auth) override;
  std::string create_container(const std::string& name, const nlohmann::json& body) override;
  void start_container(const std::string& id) override;
  /// The engine is given `timeout` (?t=); we wait for it that long plus the idle timeout.
  void stop_container(const std::string& id, std::chrono::seconds timeout) override;
  void rename_container(const std::string& id, const std::string& new_name) override;
  void remove_container(const std::string& id) override;
  /// Inspects the container first: a Tty container's log body is raw, not multiplexed.
  std::vector<std::string> container_logs(const std::string& id, int tail,
                                          std::int64_t since_unix = 0) override;
  std::vector<ContainerEvent> container_events(const std::string& id, std::int64_t since_unix_nanos,
                                               std::int64_t until_unix_nanos) override;
  PruneResult prune_images() override;
  bool remove_image_if_unused(const std::string& id) override;

 private:
  EngineClient client_;
};

}  // namespace drover::docker
