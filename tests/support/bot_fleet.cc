#include "support/bot_fleet.h"

#include <filesystem>

#include "docker/engine_client.h"

namespace drover::testing {

BotFleet::BotFleet(std::vector<int> bot_ids) : ids_(std::move(bot_ids)) {
  remove_all();
}

BotFleet::~BotFleet() {
  try {
    remove_all();
  } catch (...) {
  }
}

std::string BotFleet::data_dir(int bot_id) const {
  return "/tmp/drover-it-data/bot" + std::to_string(bot_id);
}

void BotFleet::run_all(const std::string& image_ref, const nlohmann::json& extra) {
  runtime_.pull_image(image_ref, "");
  for (int id : ids_) {
    std::filesystem::create_directories(data_dir(id));
    nlohmann::json body = {{"Image", image_ref},
                           {"Env", {"BOT_ID=" + std::to_string(id), "TRADING_MODE=paper"}},
                           {"Labels", {{"drover.test.fleet", "it"}, {"team", "trading"}}},
                           {"HostConfig",
                            {{"Binds", {data_dir(id) + ":/data"}},
                             {"RestartPolicy", {{"Name", "unless-stopped"}}},
                             {"Memory", 256 << 20}}}};
    body.merge_patch(extra);
    auto container = runtime_.create_container("bot" + std::to_string(id), body);
    runtime_.start_container(container);
  }
}

void BotFleet::remove_all() {
  for (int id : ids_) {
    const auto bot = "bot" + std::to_string(id);
    for (const auto& name : {bot, bot + "-prev", bot + "-next"}) {
      if (runtime_.inspect_container(name)) runtime_.remove_container(name);
    }
  }
}

std::vector<std::string> BotFleet::containers_using_image(const std::string& image_id) const {
  docker::EngineRequest request{docker::endpoints::kContainerList, {}, {}, {}, {}};
  request.query.add("all", "1");
  request.query.add("filters", nlohmann::json{{"ancestor", {image_id}}}.dump());
  const auto reply =
      nlohmann::json::parse(docker::EngineClient::from_environment().send(request).body);
  std::vector<std::string> names;
  for (const auto& container : reply) {
    // An image id as ancestor also matches containers of images built on top of it; keep
    // only the containers made from this very image.
    if (container.value("ImageID", "") != image_id) continue;
    const auto& container_names = container["Names"];
    names.push_back(container_names.empty() ? container.value("Id", "")
                                            : container_names[0].get<std::string>());
  }
  return names;
}

std::string BotFleet::ids_arg() const {
  std::string out;
  for (int id : ids_) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace drover::testing
