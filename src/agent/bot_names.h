#pragma once
// Container names are the agent's only state on a host: `bot<ID>` is the bot; `bot<ID>-next`
// (the new container, created but never started under that name) and `bot<ID>-prev` (the
// old one, kept until the new one is proven) exist only while a swap is in flight (or was
// interrupted).
#include <string>

namespace drover::agent {

inline std::string container_name(int bot_id) {
  return "bot" + std::to_string(bot_id);
}
inline std::string prev_container_name(int bot_id) {
  return container_name(bot_id) + "-prev";
}
inline std::string next_container_name(int bot_id) {
  return container_name(bot_id) + "-next";
}

}  // namespace drover::agent
