#include "docker/inspect_mapping.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
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
  out.finished_at = string_member(state, "FinishedAt");
  const auto& health = member(state, "Health");
  out.health = string_member(health, "Status");
  if (out.health == "none") out.health.clear();
  // The engine keeps the last few probes, oldest first; the newest says why it is unhealthy.
  if (const auto& log = member(health, "Log"); log.is_array() && !log.empty()) {
    out.health_output = string_member(log.back(), "Output");
    while (!out.health_output.empty() &&
           std::isspace(static_cast<unsigned char>(out.health_output.back()))) {
      out.health_output.pop_back();
    }
  }
  return out;
}

}  // namespace

ContainerInfo container_info_from_json(const json& inspect) {
  ContainerInfo out;
  out.id = string_member(inspect, "Id");
  out.name = string_member(inspect, "Name");
  if (!out.name.empty() && out.name.front() == '/') out.name.erase(0, 1);
  out.image_id = string_member(inspect, "Image");
  out.created = string_member(inspect, "Created");
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

std::vector<ContainerEvent> container_events_from_stream(std::string_view body,
                                                         const std::string& container_id) {
  std::vector<ContainerEvent> events;
  std::size_t line_number = 0;
  while (!body.empty()) {
    const auto end = body.find('\n');
    const auto line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto message = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!message.is_object()) {
      throw std::invalid_argument("event " + std::to_string(line_number) +
                                  " of the engine's event stream is not a JSON object");
    }
    const auto& actor = member(message, "Actor");
    if (string_member(message, "Type") != "container" ||
        string_member(actor, "ID") != container_id) {
      continue;
    }
    ContainerEvent event;
    event.action = string_member(message, "Action");
    event.time_unix_nanos = int_member(message, "timeNano");
    // Older engines send seconds only. A `time` too large for nanoseconds in 64 bits (no
    // engine's, but overflowing it was undefined behaviour; found by fuzzing) reads as
    // absent, like any other unusable member.
    if (event.time_unix_nanos == 0 &&
        __builtin_mul_overflow(int_member(message, "time"), 1'000'000'000,
                               &event.time_unix_nanos)) {
      event.time_unix_nanos = 0;
    }
    const auto& attributes = member(actor, "Attributes");
    if (attributes.is_object()) {
      for (const auto& [key, value] : attributes.items()) {
        if (value.is_string()) event.attributes[key] = value.get<std::string>();
      }
    }
    events.push_back(std::move(event));
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return a.time_unix_nanos < b.time_unix_nanos;
  });
  return events;
}

}  // namespace drover::docker
