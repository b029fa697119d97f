#include <gtest/gtest.h>

#include "docker/engine_endpoints.h"
#include "docker/percent_encoding.h"

namespace drover::docker {
namespace {

TEST(DockerPercentEncoding, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(DockerPercentEncoding, EncodesHostileStrings) {
  EXPECT_EQ(percent_encode("../../info"), "..%2F..%2Finfo");
  EXPECT_EQ(percent_encode("a?b=c&d#e"), "a%3Fb%3Dc%26d%23e");
  EXPECT_EQ(percent_encode("100%"), "100%25");
  EXPECT_EQ(percent_encode("a b+c"), "a%20b%2Bc");
  EXPECT_EQ(percent_encode("x\r\nHost: evil"), "x%0D%0AHost%3A%20evil");
  EXPECT_EQ(percent_encode(std::string("nul\0byte", 8)), "nul%00byte");
  EXPECT_EQ(percent_encode("\xC3\xA9\xFF"), "%C3%A9%FF");
  EXPECT_EQ(percent_encode("127.0.0.1:5000/team/bot@sha256:ab"),
            "127.0.0.1%3A5000%2Fteam%2Fbot%40sha256%3Aab");
}

TEST(DockerQueryString, RendersInOrderWithEncodedKeysAndValues) {
  QueryString query;
  EXPECT_TRUE(query.empty());
  EXPECT_EQ(query.str(), "");
  query.add("fromImage", "registry:5000/a/b").add("tag", "v1&x=1").add("k y", "");
  EXPECT_EQ(query.str(), "?fromImage=registry%3A5000%2Fa%2Fb&tag=v1%26x%3D1&k%20y=");
}

TEST(DockerQueryString, EncodesJsonFilters) {
  QueryString query;
  query.add("filters", R"({"dangling":["false"]})");
  EXPECT_EQ(query.str(), "?filters=%7B%22dangling%22%3A%5B%22false%22%5D%7D");
}

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
