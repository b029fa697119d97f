#pragma once
// The Engine API endpoints drover uses, in one place. Each is written exactly as the API
// specification declares it (`/containers/{id}/json`), so a test can check every entry
// against the specification, and the client builds every request target from these.
#include <array>
#include <string>
#include <string_view>

#include "util/percent_encoding.h"

namespace drover::docker {

/// The API version every request is pinned to (Docker Engine 20.10 and later speak it).
inline constexpr std::string_view kEngineApiVersion = "v1.41";

struct Endpoint {
  std::string_view method;  // upper case: GET, POST, DELETE
  std::string_view path;    // the specification's path template, with at most one {param}
};

namespace endpoints {
inline constexpr Endpoint kPing{"GET", "/_ping"};
inline constexpr Endpoint kInfo{"GET", "/info"};
inline constexpr Endpoint kContainerList{"GET", "/containers/json"};
inline constexpr Endpoint kContainerInspect{"GET", "/containers/{id}/json"};
inline constexpr Endpoint kContainerCreate{"POST", "/containers/create"};
inline constexpr Endpoint kContainerStart{"POST", "/containers/{id}/start"};
inline constexpr Endpoint kContainerStop{"POST", "/containers/{id}/stop"};
inline constexpr Endpoint kContainerRename{"POST", "/containers/{id}/rename"};
inline constexpr Endpoint kContainerDelete{"DELETE", "/containers/{id}"};
inline constexpr Endpoint kContainerLogs{"GET", "/containers/{id}/logs"};
inline constexpr Endpoint kImageInspect{"GET", "/images/{name}/json"};
inline constexpr Endpoint kImageCreate{"POST", "/images/create"};
inline constexpr Endpoint kImagePrune{"POST", "/images/prune"};
inline constexpr Endpoint kImageDelete{"DELETE", "/images/{name}"};
inline constexpr Endpoint kDistributionInspect{"GET", "/distribution/{name}/json"};
inline constexpr Endpoint kSystemEvents{"GET", "/events"};

/// Every endpoint above; the specification test iterates this list.
inline constexpr std::array kAll{
    kPing,
    kInfo,
    kContainerList,
    kContainerInspect,
    kContainerCreate,
    kContainerStart,
    kContainerStop,
    kContainerRename,
    kContainerDelete,
    kContainerLogs,
    kImageInspect,
    kImageCreate,
    kImagePrune,
    kImageDelete,
    kSystemEvents,
    kDistributionInspect,
};
}  // namespace endpoints

/// Whether `param` may fill a path's {param}. The engine decodes %2F back to '/' and then
/// cleans the path, so encoding alone does not stop "../../info" from reaching another
/// endpoint: a value with an empty, "." or ".." segment is refused. Valid container names,
/// ids and image references never have one.
bool is_safe_path_param(std::string_view param);

/// "/v1.41" + the path with its {param} replaced by the percent-encoded `param` + the query.
/// Throws std::invalid_argument when the path has a {param} and `param` is not safe
/// (empty included).
std::string request_target(const Endpoint& endpoint, std::string_view param,
                           const QueryString& query = {});

}  // namespace drover::docker
