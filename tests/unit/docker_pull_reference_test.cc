#include <gtest/gtest.h>

#include "core/input_error.h"
#include "docker/pull_reference.h"

namespace drover::docker {
namespace {

const std::string kHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Case {
  std::string ref;
  std::string repository;
  std::string tag;
  bool by_digest;
};

TEST(DockerPullReference, SplitsRepositoryFromTagOrDigest) {
  const Case cases[] = {
      {"busybox", "busybox", "latest", false},
      {"busybox:1.36", "busybox", "1.36", false},
      {"library/busybox:latest", "library/busybox", "latest", false},
      {"team/bot", "team/bot", "latest", false},
      {"registry.example.com/team/bot:v2", "registry.example.com/team/bot", "v2", false},
      {"127.0.0.1:5000/team/bot", "127.0.0.1:5000/team/bot", "latest", false},
      {"127.0.0.1:5000/team/bot:v1", "127.0.0.1:5000/team/bot", "v1", false},
      {"localhost:5000/bot:1.2.3-rc_1", "localhost:5000/bot", "1.2.3-rc_1", false},
      {"bot@sha256:" + kHex, "bot", "sha256:" + kHex, true},
      {"127.0.0.1:5000/team/bot@sha256:" + kHex, "127.0.0.1:5000/team/bot", "sha256:" + kHex, true},
      {"127.0.0.1:5000/team/bot:v1@sha256:" + kHex, "127.0.0.1:5000/team/bot", "sha256:" + kHex,
       true},
      {"123456789012.dkr.ecr.us-east-1.amazonaws.com/bots:prod",
       "123456789012.dkr.ecr.us-east-1.amazonaws.com/bots", "prod", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ref);
    const auto split = pull_reference(core::parse_image_reference(c.ref));
    EXPECT_EQ(split.repository, c.repository);
    EXPECT_EQ(split.tag, c.tag);
    EXPECT_EQ(split.by_digest, c.by_digest);
  }
}

TEST(DockerPullReference, MalformedReferencesNeverGetThisFar) {
  const std::string bad[] = {
      "",
      ":v1",
      "bot:",
      "127.0.0.1:5000/",
      "bot@",
      "bot@sha256:abc",
      "bot@sha256:" + kHex.substr(0, 63) + "G",
      "bot@sha256:" + std::string(64, 'A'),
      "bot@md5:" + kHex,
      "@sha256:" + kHex,
  };
  for (const auto& ref : bad) {
    SCOPED_TRACE(ref);
    EXPECT_THROW(pull_reference(core::parse_image_reference(ref)), core::InputError);
  }
}

}  // namespace
}  // namespace drover::docker
