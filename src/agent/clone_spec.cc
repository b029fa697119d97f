#include "agent/clone_spec.h"

#include <stdexcept>

namespace drover::agent {
namespace {

using nlohmann::json;

// Config fields an image provides defaults for; the container only "set" them when its
// value differs from its image's.
constexpr const char* kImageDefaultedFields[] = {
    "Cmd",          "Entrypoint", "Healthcheck", "WorkingDir", "User",       "StopSignal",
    "ExposedPorts", "Volumes",    "OnBuild",     "Shell",      "ArgsEscaped"};

json env_set_by_container(const json& container_env, const json& image_env) {
  json out = json::array();
  for (const auto& entry : container_env) {
    bool from_image = std::find(image_env.begin(), image_env.end(), entry) != image_env.end();
    if (!from_image) out.push_back(entry);
  }
  return out;
}

json labels_set_by_container(const json& container_labels, const json& image_labels) {
  json out = json::object();
  for (const auto& [key, value] : container_labels.items()) {
    if (!(image_labels.contains(key) && image_labels[key] == value)) out[key] = value;
  }
  return out;
}

bool mounts_resolv_conf(const json& bind) {
  // "src:dst[:opts]"
  auto text = bind.get<std::string>();
  auto first = text.find(':');
  if (first == std::string::npos) return false;
  auto second = text.find(':', first + 1);
  return text.substr(first + 1, second - first - 1) == kResolvConf;
}

void substitute_bot_id(json& value, const std::string& id) {
  if (value.is_string()) {
    auto text = value.get<std::string>();
    for (auto pos = text.find("{id}"); pos != std::string::npos; pos = text.find("{id}", pos)) {
      text.replace(pos, 4, id);
      pos += id.size();
    }
    value = text;
  } else if (value.is_structured()) {
    for (auto& child : value) substitute_bot_id(child, id);
  }
}

}  // namespace

json clone_create_body(const docker::ContainerInfo& old,
                       const std::optional<docker::ImageInfo>& old_image,
                       const std::string& new_image_ref) {
  json body = old.config.is_object() ? old.config : json::object();
  json image_config = old_image && old_image->config.is_object() ? old_image->config : json();

  for (const char* field : kImageDefaultedFields) {
    if (!body.contains(field)) continue;
    bool set_by_container = old_image && !body[field].is_null() &&
                            !(image_config.contains(field) && image_config[field] == body[field]);
    if (!set_by_container) body.erase(field);
  }
  body["Env"] = env_set_by_container(body.value("Env", json::array()),
                                     image_config.value("Env", json::array()));
  body["Labels"] = labels_set_by_container(body.value("Labels", json::object()),
                                           image_config.value("Labels", json::object()));
  // Docker sets Hostname to the short container id unless the operator chose one.
  if (body.value("Hostname", "") == old.id.substr(0, 12)) body.erase("Hostname");
  body["Image"] = new_image_ref;
  body["HostConfig"] = old.host_config.is_object() ? old.host_config : json::object();

  auto mode = body["HostConfig"].value("NetworkMode", "");
  bool user_network = !mode.empty() && mode != "default" && mode != "bridge" && mode != "host" &&
                      mode != "none" && mode.rfind("container:", 0) != 0;
  if (user_network && old.networks.is_object() && old.networks.contains(mode)) {
    json endpoint = json::object();
    const auto& network = old.networks[mode];
    if (network.contains("Aliases") && network["Aliases"].is_array()) {
      json aliases = json::array();
      for (const auto& alias : network["Aliases"]) {
        if (alias != old.id.substr(0, 12)) aliases.push_back(alias);
      }
      endpoint["Aliases"] = aliases;
    }
    body["NetworkingConfig"] = {{"EndpointsConfig", {{mode, endpoint}}}};
  }
  enforce_resolv_conf_mount(body);
  return body;
}

json template_create_body(const json& container_template, int bot_id,
                          const std::string& new_image_ref) {
  if (!container_template.is_object()) {
    throw std::invalid_argument(
        "the container template must be a JSON object (a Docker create body such as "
        "{\"Env\":[\"BOT_ID={id}\"],\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\"}}})");
  }
  json body = container_template;
  substitute_bot_id(body, std::to_string(bot_id));
  body["Image"] = new_image_ref;
  if (!body.contains("HostConfig")) body["HostConfig"] = json::object();
  enforce_resolv_conf_mount(body);
  return body;
}

void enforce_resolv_conf_mount(json& body, const std::string& host_path) {
  json& host_config = body["HostConfig"];
  json binds = json::array();
  for (const auto& bind : host_config.value("Binds", json::array())) {
    if (!mounts_resolv_conf(bind)) binds.push_back(bind);
  }
  binds.push_back(host_path + ":" + kResolvConf + ":ro");
  host_config["Binds"] = binds;
  if (host_config.contains("Mounts") && host_config["Mounts"].is_array()) {
    json mounts = json::array();
    for (const auto& mount : host_config["Mounts"]) {
      if (mount.value("Target", "") != kResolvConf) mounts.push_back(mount);
    }
    host_config["Mounts"] = mounts;
  }
}

}  // namespace drover::agent
