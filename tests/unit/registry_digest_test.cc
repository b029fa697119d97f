// registry_digest without a registry: the URL and scheme drover asks, reading and validating
// the Docker-Content-Digest header, and references that are already pinned (no network).
#include "cli/registry/registry_digest.h"

#include <gtest/gtest.h>

#include <string>

#include "core/image_reference.h"
#include "core/input_error.h"
#include "util/http/curl_http_client.h"

namespace drover::cli {
namespace {

using core::parse_image_reference;

const std::string kDigest = "sha256:" + std::string(64, 'a');

std::string url_of(const std::string& text) {
  return manifest_url(parse_image_reference(text));
}

TEST(RegistryDigest, LoopbackRegistriesAreAskedOverHttp) {
  EXPECT_EQ(url_of("127.0.0.1:5000/drover-test/bot:v1"),
            "http://127.0.0.1:5000/v2/drover-test/bot/manifests/v1");
  EXPECT_EQ(url_of("127.8.9.10/bot:v1"), "http://127.8.9.10/v2/bot/manifests/v1");
  EXPECT_EQ(url_of("localhost:5000/bot:v1"), "http://localhost:5000/v2/bot/manifests/v1");
  EXPECT_EQ(url_of("[::1]:5000/team/bot:v1"), "http://[::1]:5000/v2/team/bot/manifests/v1");
}

TEST(RegistryDigest, OtherRegistriesAreAskedOverHttps) {
  EXPECT_EQ(url_of("registry.example.com/team/bot:v2"),
            "https://registry.example.com/v2/team/bot/manifests/v2");
  EXPECT_EQ(url_of("10.0.0.5:5000/bot:v2"), "https://10.0.0.5:5000/v2/bot/manifests/v2");
  // Names that merely start like loopback ones are somebody else's hosts.
  EXPECT_EQ(url_of("127.example.com/bot:v2"), "https://127.example.com/v2/bot/manifests/v2");
  EXPECT_EQ(url_of("localhost.example.com/bot:v2"),
            "https://localhost.example.com/v2/bot/manifests/v2");
  EXPECT_EQ(url_of("[::2]:5000/bot:v2"), "https://[::2]:5000/v2/bot/manifests/v2");
}

TEST(RegistryDigest, LoopbackDetection) {
  EXPECT_TRUE(is_loopback_registry("127.0.0.1"));
  EXPECT_TRUE(is_loopback_registry("127.255.255.254:80"));
  EXPECT_TRUE(is_loopback_registry("localhost"));
  EXPECT_TRUE(is_loopback_registry("LocalHost:5000"));
  EXPECT_TRUE(is_loopback_registry("[::1]"));
  EXPECT_TRUE(is_loopback_registry("[0:0:0:0:0:0:0:1]:5000"));
  EXPECT_FALSE(is_loopback_registry(""));
  EXPECT_FALSE(is_loopback_registry("128.0.0.1:5000"));
  EXPECT_FALSE(is_loopback_registry("1.127.0.0"));
  EXPECT_FALSE(is_loopback_registry("localhost.example.com"));
  EXPECT_FALSE(is_loopback_registry("[fe80::1]"));
}

TEST(RegistryDigest, DockerHubGetsItsRegistryHostAndLibraryNamespace) {
  EXPECT_EQ(url_of("nginx:1.25"), "https://registry-1.docker.io/v2/library/nginx/manifests/1.25");
  EXPECT_EQ(url_of("team/bot:v1"), "https://registry-1.docker.io/v2/team/bot/manifests/v1");
  EXPECT_EQ(url_of("docker.io/nginx:1.25"),
            "https://registry-1.docker.io/v2/library/nginx/manifests/1.25");
  EXPECT_EQ(url_of("docker.io/library/nginx:1.25"),
            "https://registry-1.docker.io/v2/library/nginx/manifests/1.25");
}

TEST(RegistryDigest, NoTagMeansLatest) {
  EXPECT_EQ(url_of("127.0.0.1:5000/bot"), "http://127.0.0.1:5000/v2/bot/manifests/latest");
}

// The HttpClient hands over header names lower-cased and values trimmed, in any case on the
// wire (tests/unit/http_curl_test.cc proves that for the real client).
TEST(RegistryDigest, ReadsTheDigestHeader) {
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(content_digest(Headers{{"docker-content-digest", kDigest}}), kDigest);
  EXPECT_EQ(content_digest(Headers{{"content-length", "0"}, {"docker-content-digest", kDigest}}),
            kDigest);
  EXPECT_EQ(content_digest(Headers{{"etag", "\"" + kDigest + "\""}}), std::nullopt);
  EXPECT_EQ(content_digest(Headers{{"docker-content-digest-extra", "x"}}), std::nullopt);
  EXPECT_EQ(content_digest(Headers{}), std::nullopt);
}

TEST(RegistryDigest, AcceptsOnlySha256WithLowercaseHex) {
  const auto ref = parse_image_reference("127.0.0.1:5000/bot:v1");
  EXPECT_EQ(checked_digest(ref, kDigest), kDigest);
  const std::string bad[] = {
      "",
      "sha256:" + std::string(63, 'a'),
      "sha256:" + std::string(65, 'a'),
      "sha256:" + std::string(64, 'A'),
      "sha256:" + std::string(63, 'a') + "g",
      "sha512:" + std::string(128, 'a'),
      "SHA256:" + std::string(64, 'a'),
  };
  for (const auto& value : bad) {
    try {
      checked_digest(ref, value);
      ADD_FAILURE() << "accepted " << value;
    } catch (const core::InputError& e) {
      EXPECT_EQ(e.where(), "image 127.0.0.1:5000/bot:v1");
      EXPECT_NE(e.problem().find("Docker-Content-Digest"), std::string::npos) << e.what();
      EXPECT_NE(e.fix().find("127.0.0.1:5000/bot@sha256:"), std::string::npos) << e.what();
    }
  }
}

TEST(RegistryDigest, PinnedReferencesAreAskedForByTheirDigest) {
  EXPECT_EQ(url_of("127.0.0.1:5000/bot@" + kDigest),
            "http://127.0.0.1:5000/v2/bot/manifests/" + kDigest);
  EXPECT_EQ(url_of("127.0.0.1:5000/bot:v2@" + kDigest),
            "http://127.0.0.1:5000/v2/bot/manifests/" + kDigest);
  EXPECT_EQ(url_of("nginx@" + kDigest),
            "https://registry-1.docker.io/v2/library/nginx/manifests/" + kDigest);
}

}  // namespace
}  // namespace drover::cli
