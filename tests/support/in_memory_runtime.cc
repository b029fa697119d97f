#include "support/in_memory_runtime.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace drover::testing {
namespace {

std::string hex_id(int n, char prefix) {
  return fmt::format("{}{:063x}", prefix, n);
}

constexpr Duration kRestartBackoff{100};
constexpr const char* kNever = "0001-01-01T00:00:00Z";

bool restarts_on_exit(const nlohmann::json& host_config, int exit_code) {
  const auto policy = host_config.value("RestartPolicy", nlohmann::json::object());
  const auto name = policy.is_object() ? policy.value("Name", std::string()) : std::string();
  return name == "always" || name == "unless-stopped" || (name == "on-failure" && exit_code != 0);
}

}  // namespace

std::string InMemoryRuntime::publish_image(const std::string& ref, nlohmann::json config,
                                           FakeImageBehavior behavior) {
  std::lock_guard lock(mutex_);
  Image image;
  int n = next_id_++;
  image.info.id = "sha256:" + hex_id(n, 'a');
  auto repo = ref.substr(0, ref.rfind(':'));
  image.info.repo_tags = {ref};
  image.info.repo_digests = {repo + "@sha256:" + hex_id(n, 'd')};
  image.info.config = std::move(config);
  image.info.size = 10'000'000;
  image.behavior = std::move(behavior);
  registry_[ref] = image;
  registry_[image.info.repo_digests[0]] = image;
  return image.info.id;
}

std::string InMemoryRuntime::add_running_container(const std::string& name,
                                                   const std::string& image_ref,
                                                   nlohmann::json body) {
  std::lock_guard lock(mutex_);
  auto it = registry_.find(image_ref);
  if (it == registry_.end()) throw std::logic_error("add_running_container: unknown image");
  images_[it->second.info.id] = it->second;
  tags_[image_ref] = it->second.info.id;
  body["Image"] = image_ref;
  auto saved = crash_before_;
  crash_before_ = 0;
  auto id = create_container(name, body);
  calls_.pop_back();
  start_container(id);
  calls_.pop_back();
  crash_before_ = saved;
  return id;
}

void InMemoryRuntime::clear_faults() {
  std::lock_guard lock(mutex_);
  fail_calls_.clear();
  fail_ops_.clear();
  crash_before_ = crash_after_ = 0;
  unreachable_ = false;
}

int InMemoryRuntime::call_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(calls_.size());
}

std::vector<std::string> InMemoryRuntime::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

std::vector<docker::ContainerInfo> InMemoryRuntime::containers() const {
  std::lock_guard lock(mutex_);
  std::vector<docker::ContainerInfo> out;
  for (const auto& [id, c] : containers_) out.push_back(c.info);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

std::set<std::string> InMemoryRuntime::local_images() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> out;
  for (const auto& [ref, id] : tags_) out.insert(ref);
  return out;
}

std::int64_t InMemoryRuntime::prunable_bytes() const {
  std::lock_guard lock(mutex_);
  std::int64_t total = 0;
  for (const auto& [id, image] : images_) {
    bool used = std::any_of(containers_.begin(), containers_.end(),
                            [&](auto& c) { return c.second.info.image_id == id; });
    if (!used) total += image.info.size;
  }
  return total;
}

int InMemoryRuntime::begin_call(const std::string& what) {
  std::lock_guard lock(mutex_);
  calls_.push_back(what);
  int n = static_cast<int>(calls_.size());
  if (n == crash_before_) throw SimulatedCrash{n};
  if (unreachable_) throw docker::RuntimeError(0, "cannot reach the Docker engine (simulated)");
  if (auto it = fail_calls_.find(n); it != fail_calls_.end()) {
    throw docker::RuntimeError(it->second,
                               fmt::format("injected failure of call {} ({})", n, what));
  }
  auto op = what.substr(0, what.find(' '));
  if (auto it = fail_ops_.find(op); it != fail_ops_.end()) {
    throw docker::RuntimeError(it->second, fmt::format("injected failure of {}", op));
  }
  return n;
}

void InMemoryRuntime::after_call(int n) {
  if (n == crash_after_) throw SimulatedCrash{n};
}

InMemoryRuntime::Container* InMemoryRuntime::find_container(const std::string& name_or_id) {
  for (auto& [id, c] : containers_) {
    if (c.info.name == name_or_id || id == name_or_id) return &c;
  }
  return nullptr;
}

const InMemoryRuntime::Image* InMemoryRuntime::find_image(const std::string& ref) const {
  if (auto it = images_.find(ref); it != images_.end()) return &it->second;
  if (auto it = tags_.find(ref); it != tags_.end()) return &images_.at(it->second);
  for (const auto& [id, image] : images_) {
    const auto& digests = image.info.repo_digests;
    if (std::find(digests.begin(), digests.end(), ref) != digests.end()) return &image;
  }
  return nullptr;
}

void InMemoryRuntime::ping() {
  after_call(begin_call("ping"));
}

std::string InMemoryRuntime::data_root() {
  after_call(begin_call("data_root"));
  return "/var/lib/docker";
}

std::optional<docker::ContainerInfo> InMemoryRuntime::inspect_container(
    const std::string& name_or_id) {
  std::lock_guard lock(mutex_);
  int n = begin_call("inspect_container " + name_or_id);
  std::optional<docker::ContainerInfo> out;
  if (auto* c = find_container(name_or_id)) {
    advance_locked(*c);
    out = c->info;
  }
  after_call(n);
  return out;
}

std::optional<docker::ImageInfo> InMemoryRuntime::inspect_image(const std::string& ref) {
  std::lock_guard lock(mutex_);
  int n = begin_call("inspect_image " + ref);
  std::optional<docker::ImageInfo> out;
  if (auto* image = find_image(ref)) out = image->info;
  after_call(n);
  return out;
}

std::vector<std::string> InMemoryRuntime::pull_auths() const {
  std::lock_guard lock(mutex_);
  return pull_auths_;
}

namespace {

// What Docker 20.10 says when a registry refuses a pull or a manifest request.
[[noreturn]] void refuse_unauthorized(const std::string& ref) {
  throw docker::RuntimeError(500,
                             "Head \"https://registry/v2/" + ref + "\": no basic auth credentials");
}

}  // namespace

std::string InMemoryRuntime::registry_manifest_digest(const std::string& ref,
                                                      const std::string& registry_auth) {
  std::lock_guard lock(mutex_);
  int n = begin_call("registry_manifest_digest " + ref);
  if (required_auth_ && registry_auth != *required_auth_) refuse_unauthorized(ref);
  auto it = registry_.find(ref);
  if (it == registry_.end()) {
    throw docker::RuntimeError(404, "manifest for " + ref + " not found: manifest unknown");
  }
  after_call(n);
  return "sha256:" + std::string(64, '0');
}

docker::ImageInfo InMemoryRuntime::pull_image(const std::string& ref,
                                              const std::string& registry_auth) {
  std::lock_guard lock(mutex_);
  int n = begin_call("pull_image " + ref);
  pull_auths_.push_back(registry_auth);
  if (required_auth_ && registry_auth != *required_auth_) refuse_unauthorized(ref);
  auto it = registry_.find(ref);
  if (it == registry_.end()) {
    throw docker::RuntimeError(404, "manifest for " + ref + " not found: manifest unknown");
  }
  images_[it->second.info.id] = it->second;
  tags_[ref] = it->second.info.id;
  after_call(n);
  return it->second.info;
}

std::string InMemoryRuntime::create_container(const std::string& name, const nlohmann::json& body) {
  std::lock_guard lock(mutex_);
  int n = begin_call("create_container " + name);
  if (find_container(name)) {
    throw docker::RuntimeError(409,
                               "Conflict. The container name \"/" + name + "\" is already in use");
  }
  const auto* image = find_image(body.value("Image", ""));
  if (!image) throw docker::RuntimeError(404, "No such image: " + body.value("Image", ""));
  Container c;
  c.info.id = hex_id(next_id_++, 'c');
  c.info.name = name;
  c.info.image_id = image->info.id;
  c.info.image_ref = body.value("Image", "");
  c.info.state.status = "created";
  c.info.state.started_at = kNever;
  c.info.state.finished_at = kNever;
  c.info.created = rfc3339_at(clock_.now());
  c.info.config = body;
  c.info.config.erase("HostConfig");
  c.info.config.erase("NetworkingConfig");
  // As Docker does: what the create body leaves out comes from the image.
  for (const auto& key : {"Cmd", "Entrypoint", "Healthcheck", "WorkingDir", "User"}) {
    if (!c.info.config.contains(key) && image->info.config.contains(key)) {
      c.info.config[key] = image->info.config[key];
    }
  }
  auto env = image->info.config.value("Env", nlohmann::json::array());
  for (const auto& e : body.value("Env", nlohmann::json::array())) env.push_back(e);
  c.info.config["Env"] = env;
  auto labels = image->info.config.value("Labels", nlohmann::json::object());
  labels.update(body.value("Labels", nlohmann::json::object()));
  c.info.config["Labels"] = labels;
  c.info.host_config = body.value("HostConfig", nlohmann::json::object());
  auto id = c.info.id;
  containers_[id] = std::move(c);
  record_event_locked(containers_[id], "create", clock_.now());
  after_call(n);
  return id;
}

std::int64_t InMemoryRuntime::unix_nanos_at(TimePoint at) const {
  const auto wall = clock_.wall_now() - (clock_.now() - at);
  return wall.time_since_epoch().count();
}

std::string InMemoryRuntime::rfc3339_at(TimePoint at) const {
  const auto nanos = unix_nanos_at(at);
  const auto seconds = std::chrono::sys_seconds(std::chrono::seconds(nanos / 1'000'000'000));
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:09d}Z", seconds, nanos % 1'000'000'000);
}

void InMemoryRuntime::record_event_locked(const Container& c, const std::string& action,
                                          TimePoint at,
                                          std::map<std::string, std::string> attributes) {
  if (c.info.id.empty()) return;
  const auto& behavior = images_.at(c.info.image_id).behavior;
  if (!behavior.events_logged) return;
  attributes["name"] = c.info.name;
  events_.push_back({c.info.id, {action, unix_nanos_at(at), std::move(attributes)}});
}

void InMemoryRuntime::begin_run_locked(Container& c, TimePoint at) {
  auto& state = c.info.state;
  state.status = "running";
  state.running = true;
  state.restarting = false;
  state.exit_code = 0;
  state.started_at = rfc3339_at(at);
  c.run_begins = at;
  c.restarts_at.reset();
  record_event_locked(c, "start", at);
}

void InMemoryRuntime::advance_locked(Container& c) {
  if (!c.run_begins || c.info.image_id.empty()) return;
  const auto& behavior = images_.at(c.info.image_id).behavior;
  const auto now = clock_.now();
  auto& state = c.info.state;
  // Play the timeline forward, one transition at a time, up to now.
  for (int guard = 0; guard < 10000; ++guard) {
    if (c.restarts_at) {
      if (now < *c.restarts_at) break;
      if (behavior.restarts_counted) ++c.info.restart_count;
      begin_run_locked(c, *c.restarts_at);
      continue;
    }
    if (!state.running && state.status == "created") {
      if (now < *c.run_begins) break;
      begin_run_locked(c, *c.run_begins);
      continue;
    }
    if (state.running && behavior.exits_after && now >= *c.run_begins + *behavior.exits_after) {
      const auto exited = *c.run_begins + *behavior.exits_after;
      record_event_locked(c, "die", exited, {{"exitCode", std::to_string(behavior.exit_code)}});
      state.exit_code = behavior.exit_code;
      state.finished_at = rfc3339_at(exited);
      state.health = "";
      if (restarts_on_exit(c.info.host_config, behavior.exit_code)) {
        state.status = "restarting";
        state.restarting = true;
        state.running = true;  // as Docker reports a container between restarts
        c.restarts_at = exited + kRestartBackoff;
      } else {
        state.status = "exited";
        state.running = false;
        c.run_begins.reset();
        break;
      }
      continue;
    }
    break;
  }
  if (state.running && !state.restarting && c.info.config.contains("Healthcheck")) {
    const bool verdict = behavior.healthy_after && now >= *c.run_begins + *behavior.healthy_after;
    state.health = !verdict ? "starting" : behavior.unhealthy ? "unhealthy" : "healthy";
    state.health_output = verdict ? behavior.health_output : "";
  }
}

void InMemoryRuntime::start_locked(Container& c) {
  const auto& behavior = images_.at(c.info.image_id).behavior;
  const auto now = clock_.now();
  c.info.state.finished_at = c.info.state.finished_at.empty() ? kNever : c.info.state.finished_at;
  if (behavior.exits_at_start) {
    docker::ContainerState exited;
    exited.status = "exited";
    exited.exit_code = behavior.exit_code;
    exited.started_at = rfc3339_at(now);
    exited.finished_at = rfc3339_at(now);
    c.info.state = exited;
    record_event_locked(c, "start", now);
    record_event_locked(c, "die", now, {{"exitCode", std::to_string(behavior.exit_code)}});
    return;
  }
  if (behavior.process_starts_after.count() > 0) {
    c.info.state.status = "created";
    c.info.state.running = false;
    c.info.state.started_at = kNever;
    c.run_begins = now + behavior.process_starts_after;
  } else {
    begin_run_locked(c, now);
  }
  advance_locked(c);
}

void InMemoryRuntime::start_container(const std::string& id) {
  std::lock_guard lock(mutex_);
  int n = begin_call("start_container " + id);
  auto* c = find_container(id);
  if (!c) throw docker::RuntimeError(404, "No such container: " + id);
  advance_locked(*c);
  if (!c->info.state.running && !c->run_begins) start_locked(*c);
  after_call(n);
}

void InMemoryRuntime::stop_container(const std::string& id, std::chrono::seconds) {
  std::lock_guard lock(mutex_);
  int n = begin_call("stop_container " + id);
  auto* c = find_container(id);
  if (!c) throw docker::RuntimeError(404, "No such container: " + id);
  advance_locked(*c);
  if (c->info.state.running) {
    record_event_locked(*c, "kill", clock_.now(), {{"signal", "15"}});
    record_event_locked(*c, "die", clock_.now(), {{"exitCode", "0"}});
  }
  c->info.state.running = false;
  c->info.state.restarting = false;
  c->info.state.status = "exited";
  c->info.state.health = "";
  c->info.state.finished_at = rfc3339_at(clock_.now());
  c->run_begins.reset();
  c->restarts_at.reset();
  record_event_locked(*c, "stop", clock_.now());
  after_call(n);
}

void InMemoryRuntime::rename_container(const std::string& id, const std::string& new_name) {
  std::lock_guard lock(mutex_);
  int n = begin_call("rename_container " + id + " " + new_name);
  auto* c = find_container(id);
  if (!c) throw docker::RuntimeError(404, "No such container: " + id);
  if (auto* other = find_container(new_name); other && other != c) {
    throw docker::RuntimeError(
        409, "Conflict. The container name \"/" + new_name + "\" is already in use");
  }
  c->info.name = new_name;
  record_event_locked(*c, "rename", clock_.now());
  after_call(n);
}

void InMemoryRuntime::remove_container(const std::string& id) {
  std::lock_guard lock(mutex_);
  int n = begin_call("remove_container " + id);
  auto* c = find_container(id);
  if (!c) throw docker::RuntimeError(404, "No such container: " + id);
  record_event_locked(*c, "destroy", clock_.now());
  containers_.erase(c->info.id);
  after_call(n);
}

std::vector<std::string> InMemoryRuntime::container_logs(const std::string& id, int tail,
                                                         std::int64_t) {
  std::lock_guard lock(mutex_);
  int n = begin_call("container_logs " + id);
  auto* c = find_container(id);
  if (!c) throw docker::RuntimeError(404, "No such container: " + id);
  auto lines = images_.at(c->info.image_id).behavior.log_lines;
  if (tail > 0 && lines.size() > static_cast<size_t>(tail)) {
    lines.erase(lines.begin(), lines.end() - tail);
  }
  after_call(n);
  return lines;
}

void InMemoryRuntime::log_event(const std::string& name_or_id, const std::string& action,
                                std::map<std::string, std::string> attributes) {
  std::lock_guard lock(mutex_);
  auto* c = find_container(name_or_id);
  if (!c) throw std::logic_error("log_event: no container " + name_or_id);
  attributes["name"] = c->info.name;
  events_.push_back({c->info.id, {action, unix_nanos_at(clock_.now()), std::move(attributes)}});
}

void InMemoryRuntime::set_started_at(const std::string& name_or_id, const std::string& rfc3339) {
  std::lock_guard lock(mutex_);
  auto* c = find_container(name_or_id);
  if (!c) throw std::logic_error("set_started_at: no container " + name_or_id);
  c->info.state.started_at = rfc3339;
}

std::vector<docker::ContainerEvent> InMemoryRuntime::container_events(
    const std::string& id, std::int64_t since_unix_nanos, std::int64_t until_unix_nanos) {
  std::lock_guard lock(mutex_);
  int n = begin_call("container_events " + id);
  if (auto* c = find_container(id)) advance_locked(*c);
  std::vector<docker::ContainerEvent> out;
  for (const auto& [container, event] : events_) {
    if (container == id && event.time_unix_nanos >= since_unix_nanos &&
        event.time_unix_nanos <= until_unix_nanos) {
      out.push_back(event);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.time_unix_nanos < b.time_unix_nanos;
  });
  after_call(n);
  return out;
}

docker::PruneResult InMemoryRuntime::prune_images() {
  std::lock_guard lock(mutex_);
  int n = begin_call("prune_images");
  docker::PruneResult result;
  for (auto it = images_.begin(); it != images_.end();) {
    const auto& id = it->first;
    bool used = std::any_of(containers_.begin(), containers_.end(),
                            [&](auto& c) { return c.second.info.image_id == id; });
    if (used) {
      ++it;
      continue;
    }
    result.space_reclaimed += it->second.info.size;
    result.deleted.push_back(id);
    std::erase_if(tags_, [&](auto& tag) { return tag.second == id; });
    it = images_.erase(it);
  }
  after_call(n);
  return result;
}

bool InMemoryRuntime::remove_image_if_unused(const std::string& id) {
  std::lock_guard lock(mutex_);
  int n = begin_call("remove_image_if_unused " + id);
  const auto found = images_.find(id);
  bool removed = true;
  if (found != images_.end()) {
    const bool used = std::any_of(containers_.begin(), containers_.end(),
                                  [&](auto& c) { return c.second.info.image_id == id; });
    if (used) {
      removed = false;
    } else {
      std::erase_if(tags_, [&](auto& tag) { return tag.second == id; });
      images_.erase(found);
    }
  }
  after_call(n);
  return removed;
}

}  // namespace drover::testing
