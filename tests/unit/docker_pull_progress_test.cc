#include <gtest/gtest.h>

#include "docker/pull_progress.h"

namespace drover::docker {
namespace {

std::optional<PullFailure> read_in_pieces(const std::string& body, std::size_t piece) {
  PullProgressReader reader;
  for (std::size_t at = 0; at < body.size(); at += piece) {
    reader.feed(std::string_view(body).substr(at, piece));
  }
  return reader.finish();
}

TEST(DockerPullProgress, ASuccessfulPullHasNoFailure) {
  const std::string body =
      "{\"status\":\"Pulling from team/bot\",\"id\":\"v1\"}\r\n"
      "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":10,\"total\":20},"
      "\"progress\":\"[=====>     ]\",\"id\":\"a1b2\"}\r\n"
      "{\"status\":\"Digest: sha256:abc\"}\r\n"
      "{\"status\":\"Status: Downloaded newer image for 127.0.0.1:5000/team/bot:v1\"}\r\n";
  PullProgressReader reader;
  reader.feed(body);
  EXPECT_FALSE(reader.finish().has_value());
  EXPECT_EQ(reader.last_status(), "Status: Downloaded newer image for 127.0.0.1:5000/team/bot:v1");
}

TEST(DockerPullProgress, FindsTheErrorObjectEvenWhenSplitAcrossReads) {
  const std::string body =
      "{\"status\":\"Pulling from team/bot\",\"id\":\"nope\"}\n"
      "{\"errorDetail\":{\"message\":\"manifest for 127.0.0.1:5000/team/bot:nope not found: "
      "manifest unknown: manifest unknown\"},\"error\":\"manifest for 127.0.0.1:5000/team/bot:nope "
      "not found: manifest unknown: manifest unknown\"}\n";
  for (std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{17}, body.size()}) {
    SCOPED_TRACE(piece);
    const auto failure = read_in_pieces(body, piece);
    ASSERT_TRUE(failure.has_value());
    EXPECT_EQ(failure->message,
              "manifest for 127.0.0.1:5000/team/bot:nope not found: manifest unknown: "
              "manifest unknown");
    EXPECT_EQ(failure->code, 0);
  }
}

TEST(DockerPullProgress, KeepsTheFirstFailureAndItsCode) {
  const std::string body =
      "{\"errorDetail\":{\"code\":401,\"message\":\"unauthorized: authentication required\"},"
      "\"error\":\"unauthorized: authentication required\"}\n"
      "{\"error\":\"a later consequence\"}";  // and no final newline
  const auto failure = read_in_pieces(body, body.size());
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "unauthorized: authentication required");
  EXPECT_EQ(failure->code, 401);
}

TEST(DockerPullProgress, AnErrorWithoutDetailStillFails) {
  const auto failure = read_in_pieces("{\"error\":\"toomanyrequests: rate limit\"}", 100);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->message, "toomanyrequests: rate limit");
}

TEST(DockerPullProgress, SkipsLinesThatAreNotJsonObjects) {
  EXPECT_FALSE(read_in_pieces("garbage\n[1,2]\n\n{\"status\":\"ok\"}\n", 4).has_value());
}

}  // namespace
}  // namespace drover::docker
