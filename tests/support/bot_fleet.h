#pragma once
// Bot containers on the real engine for integration tests: created the way an operator
// would have created them (docker run with env, labels, a data mount, a restart policy),
// and removed again afterwards, including any bot<ID>-prev leftovers.
#include <vector>

#include "docker/engine_runtime.h"

namespace drover::testing {

class BotFleet {
 public:
  explicit BotFleet(std::vector<int> bot_ids);
  ~BotFleet();
  BotFleet(const BotFleet&) = delete;
  BotFleet& operator=(const BotFleet&) = delete;

  /// Pulls `image_ref` and runs bot<ID> from it for every bot. `extra` is merged into the
  /// create body (e.g. {"HostConfig":{"NetworkMode":"host"}}).
  void run_all(const std::string& image_ref,
               const nlohmann::json& extra = nlohmann::json::object());
  /// Removes bot<ID> and bot<ID>-prev of every bot.
  void remove_all();

  const std::vector<int>& ids() const { return ids_; }
  std::string ids_arg() const;  // "7101,7102,7103"
  docker::EngineRuntime& runtime() { return runtime_; }
  /// The names of every container on the engine (any state, any owner) made from the image
  /// with id `image_id`. The engine is shared with the demo and other tests: an image one
  /// of them still uses must survive a prune.
  std::vector<std::string> containers_using_image(const std::string& image_id) const;
  /// The host directory mounted at /data in bot<ID>.
  std::string data_dir(int bot_id) const;

 private:
  std::vector<int> ids_;
  docker::EngineRuntime runtime_;
};

}  // namespace drover::testing
