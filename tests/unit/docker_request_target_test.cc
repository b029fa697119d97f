// How the Engine API client builds request targets: the API version prefix, and every
// caller-supplied path segment percent-encoded (util/percent_encoding.h) and checked.
#include <gtest/gtest.h>

#include "docker/engine_endpoints.h"

namespace drover::docker {
namespace {

TEST(DockerRequestTarget, PrefixesVersionAndEncodesThePathSegment) {
  EXPECT_EQ(request_target(endpoints::kPing, ""), "/v1.41/_ping");
  EXPECT_EQ(request_target(endpoints::kContainerInspect, "bot7"), "/v1.41/containers/bot7/json");
  EXPECT_EQ(request_target(endpoints::kContainerDelete, "x/json?force=1#f g"),
            "/v1.41/containers/x%2Fjson%3Fforce%3D1%23f%20g");
  EXPECT_EQ(request_target(endpoints::kImageInspect, "127.0.0.1:5000/a/b:v1"),
            "/v1.41/images/127.0.0.1%3A5000%2Fa%2Fb%3Av1/json");
  QueryString query;
  query.add("name", "bot7-prev");
  EXPECT_EQ(request_target(endpoints::kContainerRename, "bot7", query),
            "/v1.41/containers/bot7/rename?name=bot7-prev");
}

TEST(DockerRequestTarget, RefusesParamsTheEngineWouldResolveElsewhere) {
  // The engine decodes %2F and cleans the path: these would reach another endpoint.
  for (const char* param : {"", ".", "..", "../../info", "a/../../_ping", "a//b", "/abs", "a/"}) {
    SCOPED_TRACE(param);
    EXPECT_FALSE(is_safe_path_param(param));
    EXPECT_THROW(request_target(endpoints::kContainerStart, param), std::invalid_argument);
  }
  for (const char* param : {"bot7", "bot7-prev", "4fa6e0f0c678", "127.0.0.1:5000/team/bot:v1",
                            "a..b", "...", "team/bot@sha256:00"}) {
    SCOPED_TRACE(param);
    EXPECT_TRUE(is_safe_path_param(param));
  }
}

}  // namespace
}  // namespace drover::docker
