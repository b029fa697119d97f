#include "support/bot_fleet.h"

#include <filesystem>

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
    for (const auto& name : {"bot" + std::to_string(id), "bot" + std::to_string(id) + "-prev"}) {
      if (runtime_.inspect_container(name)) runtime_.remove_container(name);
    }
  }
}

std::string BotFleet::ids_arg() const {
  std::string out;
  for (int id : ids_) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace drover::testing
