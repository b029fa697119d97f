// drover's registry requests with authentication, against a scripted HttpClient: the
// WWW-Authenticate challenge, Basic and the Bearer token flow, the one-line refusals (no
// credentials, refused credentials) that never carry a secret, and digests checked against
// the registry rather than trusted (issue 13).
#include <gtest/gtest.h>

#include <deque>

#include "cli/registry/registry_challenge.h"
#include "cli/registry/registry_digest.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "util/base64.h"

namespace drover::cli {
namespace {

using core::parse_image_reference;

const std::string kDigest = "sha256:" + std::string(64, 'b');

// Answers each request with the next scripted response and records what was asked.
class ScriptedHttp final : public HttpClient {
 public:
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> requests;

  HttpResponse send(const HttpRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) {
      ADD_FAILURE() << "unexpected request " << request.method << " " << request.url;
      return {};
    }
    auto answer = answers.front();
    answers.pop_front();
    return answer;
  }
};

HttpResponse status(long code, std::vector<std::pair<std::string, std::string>> headers = {},
                    std::string body = "") {
  HttpResponse response;
  response.status = code;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

HttpResponse with_digest() {
  return status(200, {{"docker-content-digest", kDigest}});
}

std::optional<std::string> header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

RegistryCredentialsSource user(const std::string& name, const std::string& password) {
  return [=](const core::ImageReference&) {
    registry::RegistryCredentials c;
    c.username = name;
    c.password = password;
    c.source = "auths in /home/op/.docker/config.json";
    return std::optional(c);
  };
}

std::string refusal(const std::string& image, ScriptedHttp& http,
                    const RegistryCredentialsSource& source) {
  try {
    resolve_digest(parse_image_reference(image), http, source);
  } catch (const core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << image << " resolved";
  return "";
}

TEST(RegistryChallenge, ReadsBasicAndBearerChallenges) {
  auto basic = parse_registry_challenge("Basic realm=\"drover-test\"");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->scheme, RegistryChallenge::Scheme::basic);
  EXPECT_EQ(basic->realm, "drover-test");

  auto bearer = parse_registry_challenge(
      "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
      "scope=\"repository:library/nginx:pull,push\"");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->scheme, RegistryChallenge::Scheme::bearer);
  EXPECT_EQ(bearer->realm, "https://auth.docker.io/token");
  EXPECT_EQ(bearer->service, "registry.docker.io");
  EXPECT_EQ(bearer->scope, "repository:library/nginx:pull,push");

  auto bare = parse_registry_challenge("bearer realm=https://ghcr.io/token, service=ghcr.io");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->realm, "https://ghcr.io/token");
  EXPECT_EQ(bare->service, "ghcr.io");

  auto second = parse_registry_challenge("Negotiate abc, Basic realm=\"x\\\"y\"");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->scheme, RegistryChallenge::Scheme::basic);
  EXPECT_EQ(second->realm, "x\"y");

  EXPECT_FALSE(parse_registry_challenge(""));
  EXPECT_FALSE(parse_registry_challenge("Bearer service=\"x\""));  // no realm
  EXPECT_FALSE(parse_registry_challenge("Digest realm=\"x\""));
}

TEST(RegistryAuth, AnonymousRegistryIsAskedOnceWithoutCredentials) {
  ScriptedHttp http;
  http.answers = {with_digest()};
  bool asked = false;
  auto digest = resolve_digest(parse_image_reference("127.0.0.1:5000/bot:v1"), http,
                               [&](const core::ImageReference&) {
                                 asked = true;
                                 return std::optional<registry::RegistryCredentials>();
                               });
  EXPECT_EQ(digest, kDigest);
  EXPECT_FALSE(asked) << "credentials were looked up for a registry that did not ask";
  EXPECT_FALSE(header(http.requests.at(0), "Authorization"));
}

TEST(RegistryAuth, BasicChallengeIsAnsweredWithTheCredentials) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate", "Basic realm=\"r\""}}), with_digest()};
  auto digest =
      resolve_digest(parse_image_reference("127.0.0.1:5001/team/bot:v1"), http, user("op", "pw-1"));
  EXPECT_EQ(digest, kDigest);
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(header(http.requests[1], "Authorization"), "Basic " + base64_encode("op:pw-1"));
  EXPECT_EQ(http.requests[1].url, "http://127.0.0.1:5001/v2/team/bot/manifests/v1");
}

TEST(RegistryAuth, BearerChallengeGetsATokenForThePullScope) {
  ScriptedHttp http;
  http.answers = {
      status(401,
             {{"www-authenticate",
               "Bearer realm=\"https://auth.example.com/token\",service=\"reg.example.com\""}}),
      status(200, {}, R"({"token": "tok-123"})"), with_digest()};
  auto digest = resolve_digest(parse_image_reference("reg.example.com/team/bot:v1"), http,
                               user("op", "pw-2"));
  EXPECT_EQ(digest, kDigest);
  ASSERT_EQ(http.requests.size(), 3u);
  EXPECT_EQ(http.requests[1].method, "GET");
  EXPECT_EQ(http.requests[1].url,
            "https://auth.example.com/"
            "token?service=reg.example.com&scope=repository%3Ateam%2Fbot%3Apull");
  EXPECT_EQ(header(http.requests[1], "Authorization"), "Basic " + base64_encode("op:pw-2"));
  EXPECT_EQ(header(http.requests[2], "Authorization"), "Bearer tok-123");
}

TEST(RegistryAuth, BearerWithoutCredentialsAsksForAnAnonymousToken) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate",
                                "Bearer realm=\"https://auth.docker.io/token\","
                                "service=\"registry.docker.io\","
                                "scope=\"repository:library/nginx:pull\""}}),
                  status(200, {}, R"({"access_token": "anon"})"), with_digest()};
  EXPECT_EQ(resolve_digest(parse_image_reference("nginx:1.25"), http, no_registry_credentials),
            kDigest);
  EXPECT_FALSE(header(http.requests[1], "Authorization"));
  EXPECT_NE(http.requests[1].url.find("scope=repository%3Alibrary%2Fnginx%3Apull"),
            std::string::npos);
  EXPECT_EQ(header(http.requests[2], "Authorization"), "Bearer anon");
}

TEST(RegistryAuth, IdentityTokenIsExchangedWithTheRefreshTokenGrant) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate",
                                "Bearer realm=\"https://auth.example.com/token\","
                                "service=\"reg.example.com\""}}),
                  status(200, {}, R"({"access_token": "tok"})"), with_digest()};
  resolve_digest(parse_image_reference("reg.example.com/bot:v1"), http,
                 [](const core::ImageReference&) {
                   registry::RegistryCredentials c;
                   c.identity_token = "refresh-xyz";
                   c.source = "docker-credential-desktop";
                   return std::optional(c);
                 });
  EXPECT_EQ(http.requests[1].method, "POST");
  EXPECT_NE(http.requests[1].body.find("grant_type=refresh_token"), std::string::npos);
  EXPECT_NE(http.requests[1].body.find("refresh_token=refresh-xyz"), std::string::npos);
}

TEST(RegistryAuth, NoCredentialsIsOneLineSayingWhatToConfigure) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate", "Basic realm=\"r\""}})};
  auto message = refusal("127.0.0.1:5001/bot:v1", http, no_registry_credentials);
  EXPECT_NE(message.find("image 127.0.0.1:5001/bot:v1: registry 127.0.0.1:5001 wants credentials "
                         "and drover found none for it"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("docker login 127.0.0.1:5001"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(RegistryAuth, RefusedCredentialsNameTheirSourceAndNeverTheSecret) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate", "Basic realm=\"r\""}}),
                  status(401, {{"www-authenticate", "Basic realm=\"r\""}})};
  auto message = refusal("127.0.0.1:5001/bot:v1", http, user("op", "Secret-Pw-9"));
  EXPECT_NE(message.find("registry 127.0.0.1:5001 refused the credentials from auths in "
                         "/home/op/.docker/config.json"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("Secret-Pw-9"), std::string::npos);

  ScriptedHttp token;
  token.answers = {status(401, {{"www-authenticate", "Bearer realm=\"https://a.example.com/t\""}}),
                   status(401)};
  message = refusal("reg.example.com/bot:v1", token, user("op", "Secret-Pw-9"));
  EXPECT_NE(message.find("refused the credentials"), std::string::npos) << message;
  EXPECT_EQ(message.find("Secret-Pw-9"), std::string::npos);
}

TEST(RegistryAuth, EcrRegistryWithoutCredentialsSuggestsTheHelper) {
  ScriptedHttp http;
  http.answers = {status(401, {{"www-authenticate", "Basic realm=\"ecr\""}})};
  auto message =
      refusal("123456789012.dkr.ecr.eu-west-1.amazonaws.com/bot:v1", http, no_registry_credentials);
  EXPECT_NE(message.find("credHelpers {\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\": "
                         "\"ecr-login\"}"),
            std::string::npos)
      << message;
}

TEST(RegistryAuth, PinnedDigestIsCheckedAgainstTheRegistry) {
  const auto pinned = "127.0.0.1:5000/bot@" + kDigest;
  ScriptedHttp present;
  present.answers = {status(200)};  // a HEAD by digest need not repeat the digest
  EXPECT_EQ(resolve_digest(parse_image_reference(pinned), present), kDigest);
  EXPECT_EQ(present.requests.at(0).method, "HEAD");
  EXPECT_EQ(present.requests.at(0).url, "http://127.0.0.1:5000/v2/bot/manifests/" + kDigest);

  ScriptedHttp absent;
  absent.answers = {status(404)};
  auto message = refusal(pinned, absent, no_registry_credentials);
  EXPECT_NE(message.find("digest " + kDigest + " does not exist in 127.0.0.1:5000/bot"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace drover::cli
