#include "docker/engine_runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/input_error.h"
#include "docker/inspect_mapping.h"
#include "docker/pull_progress.h"
#include "docker/pull_reference.h"
#include "docker/raw_stream.h"

namespace drover::docker {
namespace {

using nlohmann::json;
namespace ep = endpoints;

constexpr int kMalformedReply = 502;
// Quiet waits the engine legitimately makes: a ping must be quick to be a useful preflight;
// a prune answers only after deleting every layer, which on a slow disk takes minutes.
constexpr std::chrono::seconds kPingTimeout{30};
constexpr std::chrono::seconds kPruneTimeout = std::chrono::minutes(15);
// Past the stop timeout the engine still SIGKILLs and waits for the exit; allow it that.
constexpr std::chrono::seconds kStopMargin = std::chrono::minutes(5);

EngineRequest make(const Endpoint& endpoint, std::string param = {}, QueryString query = {}) {
  EngineRequest request;
  request.endpoint = endpoint;
  request.param = std::move(param);
  request.query = std::move(query);
  return request;
}

json parse_reply(const EngineRequest& request, const EngineResponse& response) {
  auto reply = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded()) {
    throw RuntimeError(kMalformedReply, "the Docker engine's reply to " +
                                            std::string(request.endpoint.method) + " " +
                                            std::string(request.endpoint.path) + " is not JSON");
  }
  return reply;
}

// An inspect that may legitimately find nothing: 404 is an answer, not an error, and so is
// a name that no container or image can have.
std::optional<json> inspect(const EngineClient& client, const Endpoint& endpoint,
                            const std::string& name) {
  if (!is_safe_path_param(name)) return std::nullopt;
  const auto request = make(endpoint, name);
  try {
    return parse_reply(request, client.send(request));
  } catch (const RuntimeError& e) {
    if (e.status() == 404) return std::nullopt;
    throw;
  }
}

}  // namespace

EngineRuntime::EngineRuntime() : client_(EngineClient::from_environment()) {}

EngineRuntime::EngineRuntime(EngineClient client) : client_(std::move(client)) {}

void EngineRuntime::ping() {
  auto request = make(ep::kPing);
  request.idle_timeout = kPingTimeout;
  client_.send(request);
}

std::string EngineRuntime::data_root() {
  const auto request = make(ep::kInfo);
  const auto info = parse_reply(request, client_.send(request));
  const auto root = info.find("DockerRootDir");
  if (!info.is_object() || root == info.end() || !root->is_string() || root->empty()) {
    throw RuntimeError(kMalformedReply, "the Docker engine's /info has no DockerRootDir");
  }
  return root->get<std::string>();
}

std::optional<ContainerInfo> EngineRuntime::inspect_container(const std::string& name_or_id) {
  auto reply = inspect(client_, ep::kContainerInspect, name_or_id);
  if (!reply) return std::nullopt;
  return container_info_from_json(*reply);
}

std::optional<ImageInfo> EngineRuntime::inspect_image(const std::string& ref) {
  auto reply = inspect(client_, ep::kImageInspect, ref);
  if (!reply) return std::nullopt;
  return image_info_from_json(*reply);
}

namespace {

EngineRequest with_registry_auth(EngineRequest request, const std::string& registry_auth) {
  if (!registry_auth.empty()) request.headers.emplace_back("X-Registry-Auth", registry_auth);
  return request;
}

}  // namespace

ImageInfo EngineRuntime::pull_image(const std::string& ref, const std::string& registry_auth) {
  PullReference split;
  try {
    split = pull_reference(core::parse_image_reference(ref));
  } catch (const core::InputError& e) {
    throw RuntimeError(400, "invalid image reference \"" + ref + "\": " + e.problem());
  }
  QueryString query;
  query.add("fromImage", split.repository).add("tag", split.tag);
  PullProgressReader progress;
  client_.send(with_registry_auth(make(ep::kImageCreate, {}, query), registry_auth),
               [&](std::string_view chunk) { progress.feed(chunk); });
  if (auto failure = progress.finish()) {
    throw RuntimeError(failure->code > 0 ? failure->code : 500, failure->message);
  }
  auto image = inspect_image(ref);
  if (!image) {
    throw RuntimeError(
        404, "the Docker engine reported pulling " + ref +
                 " but has no such image afterwards (last status: " + progress.last_status() + ")");
  }
  return *image;
}

std::string EngineRuntime::registry_manifest_digest(const std::string& ref,
                                                    const std::string& registry_auth) {
  try {
    (void)core::parse_image_reference(ref);
  } catch (const core::InputError& e) {
    throw RuntimeError(400, "invalid image reference \"" + ref + "\": " + e.problem());
  }
  const auto request = with_registry_auth(make(ep::kDistributionInspect, ref), registry_auth);
  const auto reply = parse_reply(request, client_.send(request));
  const auto descriptor = reply.find("Descriptor");
  if (!reply.is_object() || descriptor == reply.end() || !descriptor->is_object() ||
      !descriptor->contains("digest") || !(*descriptor)["digest"].is_string()) {
    throw RuntimeError(kMalformedReply, "the Docker engine's /distribution answer for " + ref +
                                            " has no Descriptor.digest");
  }
  return (*descriptor)["digest"].get<std::string>();
}

std::string EngineRuntime::create_container(const std::string& name, const json& body) {
  QueryString query;
  query.add("name", name);
  auto request = make(ep::kContainerCreate, {}, query);
  request.body = body;
  const auto reply = parse_reply(request, client_.send(request));
  const auto id = reply.find("Id");
  if (!reply.is_object() || id == reply.end() || !id->is_string() || id->empty()) {
    throw RuntimeError(kMalformedReply, "the Docker engine created " + name + " but sent no Id");
  }
  return id->get<std::string>();
}

void EngineRuntime::start_container(const std::string& id) {
  client_.send(make(ep::kContainerStart, id));
}

void EngineRuntime::stop_container(const std::string& id, std::chrono::seconds timeout) {
  // The engine reads a negative t as "wait forever"; our callers mean "kill now".
  const auto seconds = std::max<std::chrono::seconds::rep>(timeout.count(), 0);
  QueryString query;
  query.add("t", std::to_string(seconds));
  auto request = make(ep::kContainerStop, id, query);
  request.idle_timeout = std::chrono::seconds(seconds) + kStopMargin;
  client_.send(request);
}

void EngineRuntime::rename_container(const std::string& id, const std::string& new_name) {
  QueryString query;
  query.add("name", new_name);
  client_.send(make(ep::kContainerRename, id, query));
}

void EngineRuntime::remove_container(const std::string& id) {
  QueryString query;
  query.add("force", "1");
  client_.send(make(ep::kContainerDelete, id, query));
}

std::vector<std::string> EngineRuntime::container_logs(const std::string& id, int tail,
                                                       std::int64_t since_unix) {
  const auto container = inspect_container(id);
  if (!container) throw RuntimeError(404, "No such container: " + id);
  const auto tty = container->config.find("Tty");
  const bool raw = tty != container->config.end() && tty->is_boolean() && tty->get<bool>();

  QueryString query;
  query.add("stdout", "1").add("stderr", "1");
  query.add("tail", tail > 0 ? std::to_string(tail) : "all");
  if (since_unix > 0) query.add("since", std::to_string(since_unix));

  LineAssembler lines;
  RawStreamDemuxer demuxer([&](StreamKind kind, std::string_view payload) {
    if (kind == StreamKind::kSystemError) {
      throw RuntimeError(500, "reading the logs of " + id + ": " + std::string(payload));
    }
    if (kind != StreamKind::kStdin) lines.add(kind, payload);
  });
  try {
    client_.send(make(ep::kContainerLogs, id, query), [&](std::string_view chunk) {
      if (raw) {
        lines.add(StreamKind::kStdout, chunk);
      } else {
        demuxer.feed(chunk);
      }
    });
    demuxer.finish();
  } catch (const RawStreamError& e) {
    throw RuntimeError(kMalformedReply, "the logs of " + id + ": " + e.what());
  }
  return lines.finish();
}

namespace {

// The engine's own timestamp form for since/until: seconds.nanoseconds.
std::string engine_timestamp(std::int64_t unix_nanos) {
  const auto seconds = unix_nanos / 1'000'000'000;
  const auto nanos = unix_nanos % 1'000'000'000;
  return fmt::format("{}.{:09d}", seconds, nanos);
}

}  // namespace

std::vector<ContainerEvent> EngineRuntime::container_events(const std::string& id,
                                                            std::int64_t since_unix_nanos,
                                                            std::int64_t until_unix_nanos) {
  if (id.empty()) throw RuntimeError(400, "container_events needs a container id");
  // The engine refuses since > until; an empty interval has no events.
  if (until_unix_nanos <= since_unix_nanos) return {};
  QueryString query;
  query.add("since", engine_timestamp(since_unix_nanos));
  query.add("until", engine_timestamp(until_unix_nanos));
  query.add("filters", json{{"type", {"container"}}, {"container", {id}}}.dump());
  auto request = make(ep::kSystemEvents, {}, query);
  // `until` is not in the future, so the engine answers from its log and closes at once.
  request.idle_timeout = kPingTimeout;
  const auto response = client_.send(request);
  try {
    return container_events_from_stream(response.body, id);
  } catch (const std::invalid_argument& e) {
    throw RuntimeError(kMalformedReply, std::string("the Docker engine's events: ") + e.what());
  }
}

bool EngineRuntime::remove_image_if_unused(const std::string& id) {
  if (!is_safe_path_param(id)) throw RuntimeError(400, "not an image id: " + id);
  QueryString query;
  query.add("force", "0").add("noprune", "0");
  try {
    client_.send(make(ep::kImageDelete, id, query));
    return true;
  } catch (const RuntimeError& e) {
    if (e.status() == 404) return true;
    if (e.status() == 409) return false;
    throw;
  }
}

PruneResult EngineRuntime::prune_images() {
  QueryString query;
  // dangling=false widens the prune from untagged images to every unused one (`prune -a`).
  query.add("filters", json{{"dangling", {"false"}}}.dump());
  auto request = make(ep::kImagePrune, {}, query);
  request.idle_timeout = kPruneTimeout;
  const auto reply = parse_reply(request, client_.send(request));
  PruneResult result;
  if (const auto space = reply.find("SpaceReclaimed");
      space != reply.end() && space->is_number_integer()) {
    result.space_reclaimed = space->get<std::int64_t>();
  }
  if (const auto deleted = reply.find("ImagesDeleted");
      deleted != reply.end() && deleted->is_array()) {
    for (const auto& item : *deleted) {
      const auto id = item.find("Deleted");
      if (id != item.end() && id->is_string()) result.deleted.push_back(id->get<std::string>());
    }
  }
  return result;
}

}  // namespace drover::docker
