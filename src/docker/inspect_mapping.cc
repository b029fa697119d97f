#include "docker/inspect_mapping.h"

#include <string_view>

namespace drover::docker {
namespace {

using nlohmann::json;

// The member, or null when the document is not an object or lacks it: inspect documents
// have many optional and nullable members, and a missing one must not throw.
const json& member(const json& object, std::string_view key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string string_member(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

bool bool_member(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  return value.is_boolean() && value.get<bool>();
}

std::int64_t int_member(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

std::vector<std::string> strings_member(const json& object, std::string_view key) {
  std::vector<std::string> out;
  const auto& value = member(object, key);
  if (!value.is_array()) return out;
  for (const auto& item : value) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// Config, HostConfig and Networks are kept whole (they are cloned into the next
// container), with null normalised to an empty object so callers can index them.
json object_member(const json& object, std::string_view key) {
  const auto& value = member(object, key);
  return value.is_object() ? value : json::object();
}

ContainerState state_from_json(const json& state) {
  ContainerState out;
  out.status = string_member(state, "Status");
  out.running = bool_member(state, "Running");
  out.restarting = bool_member(state, "Restarting");
  out.exit_code = static_cast<int>(int_member(state, "ExitCode"));
  out.oom_killed = bool_member(state, "OOMKilled");
  out.error = string_member(state, "Error");
  out.started_at = string_member(state, "StartedAt");
  out.health = string_member(member(state, "Health"), "Status");
  if (out.health == "none") out.health.clear();
  return out;
}

}  // namespace

ContainerInfo container_info_from_json(const json& inspect) {
  ContainerInfo out;
  out.id = string_member(inspect, "Id");
  out.name = string_member(inspect, "Name");
  if (!out.name.empty() && out.name.front() == '/') out.name.erase(0, 1);
  out.image_id = string_member(inspect, "Image");
  out.config = object_member(inspect, "Config");
  out.image_ref = string_member(out.config, "Image");
  out.host_config = object_member(inspect, "HostConfig");
  out.state = state_from_json(member(inspect, "State"));
  out.restart_count = static_cast<int>(int_member(inspect, "RestartCount"));
  out.networks = object_member(member(inspect, "NetworkSettings"), "Networks");
  return out;
}

ImageInfo image_info_from_json(const json& inspect) {
  ImageInfo out;
  out.id = string_member(inspect, "Id");
  out.repo_tags = strings_member(inspect, "RepoTags");
  out.repo_digests = strings_member(inspect, "RepoDigests");
  out.config = object_member(inspect, "Config");
  out.size = int_member(inspect, "Size");
  return out;
}

}  // namespace drover::docker
