// Container credentials, IMDSv2 and the refreshing cache, against a scripted HttpClient.
#include <gtest/gtest.h>

#include <thread>

#include "aws/aws_error.h"
#include "aws/credential_cache.h"
#include "aws/credential_container.h"
#include "aws/credential_imds.h"
#include "aws/credential_json.h"
#include "aws_credential_test_support.h"

namespace drover::aws {
namespace {

using testing::answer;
using testing::credentials_json;
using testing::env_of;
using testing::FakeWallClock;
using testing::header;
using testing::ScriptedHttp;
using testing::TempDir;

const std::string kExpires = "2026-05-01T06:00:00Z";

TEST(AwsCredentialContainerTest, RelativeUriIsUnderTheEcsAgent) {
  auto endpoint = container_endpoint_from_env(
      env_of({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task"},
              {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/ignored"}}));
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "http://169.254.170.2/v2/credentials/task");
  EXPECT_FALSE(container_endpoint_from_env(env_of({})));
}

TEST(AwsCredentialContainerTest, FullUriMustBeHttpsOrLocal) {
  for (const char* good :
       {"https://creds.example.com/x", "http://127.0.0.1:8080/creds", "http://localhost/creds",
        "http://169.254.170.23/v1/credentials", "http://[::1]:80/c", "http://[fd00:ec2::23]/c"}) {
    EXPECT_NO_THROW(
        container_endpoint_from_env(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", good}})))
        << good;
  }
  for (const char* bad : {"http://10.0.0.5/creds", "http://127.0.0.1.evil.com/x",
                          "http://user@10.0.0.5/x", "ftp://127.0.0.1/x"}) {
    EXPECT_THROW(container_endpoint_from_env(env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", bad}})),
                 AwsError)
        << bad;
  }
}

TEST(AwsCredentialContainerTest, SendsTheTokenAndParsesTheAnswer) {
  ScriptedHttp http([](const HttpRequest&) {
    return answer(200, credentials_json("AKIDC", "c-secret", "c-token", kExpires));
  });
  ContainerEndpoint endpoint{"http://127.0.0.1:9/creds", std::nullopt, "Bearer abc"};
  const auto credentials = fetch_container_credentials(http, endpoint);
  EXPECT_EQ(credentials.access_key_id, "AKIDC");
  EXPECT_EQ(credentials.secret_access_key, "c-secret");
  EXPECT_EQ(credentials.session_token, "c-token");
  EXPECT_EQ(credentials.expiration, parse_iso8601(kExpires));
  const auto request = http.requests().at(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, "http://127.0.0.1:9/creds");
  EXPECT_EQ(header(request, "Authorization"), "Bearer abc");
}

TEST(AwsCredentialContainerTest, TokenFileWinsAndIsReadAtEveryFetch) {
  TempDir dir;
  const auto token_file = dir.write("token", "first-token\n");
  ScriptedHttp http([](const HttpRequest&) {
    return answer(200, credentials_json("AKIDC", "c-secret", "c-token", kExpires));
  });
  auto endpoint = container_endpoint_from_env(
      env_of({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"},
              {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file},
              {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"}}));
  ASSERT_TRUE(endpoint);
  fetch_container_credentials(http, *endpoint);
  dir.write("token", "second-token");
  fetch_container_credentials(http, *endpoint);
  EXPECT_EQ(header(http.requests().at(0), "Authorization"), "first-token");
  EXPECT_EQ(header(http.requests().at(1), "Authorization"), "second-token");
}

TEST(AwsCredentialContainerTest, ErrorsNameTheEndpointAndNotTheToken) {
  ScriptedHttp http([](const HttpRequest&) {
    return answer(403, R"({"code":"AccessDenied","message":"bad token"})");
  });
  ContainerEndpoint endpoint{"http://127.0.0.1:9/creds", std::nullopt, "Bearer sekrit"};
  try {
    fetch_container_credentials(http, endpoint);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code(), "ContainerCredentials");
    EXPECT_NE(e.message().find("http://127.0.0.1:9/creds answered HTTP 403 (AccessDenied: bad "
                               "token)"),
              std::string::npos)
        << e.message();
    EXPECT_EQ(std::string(e.what()).find("sekrit"), std::string::npos);
  }
  ScriptedHttp missing_field([](const HttpRequest&) {
    return answer(200, R"({"AccessKeyId":"AKIDC","SecretAccessKey":"c-secret","Token":"t"})");
  });
  EXPECT_THROW(fetch_container_credentials(missing_field, endpoint), AwsError);
}

TEST(AwsCredentialImdsTest, TokenFirstThenRoleThenCredentials) {
  ScriptedHttp http([](const HttpRequest& request) {
    if (request.url.ends_with("/latest/api/token")) {
      return answer(200, "imds-session-token");
    }
    if (request.url.ends_with("/security-credentials/")) {
      return answer(200, "bot-host-role\n");
    }
    return answer(200, credentials_json("AKIDI", "i-secret", "i-token", kExpires));
  });
  const auto endpoint = imds_endpoint_from_env(env_of({}));
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(*endpoint, "http://169.254.169.254");
  const auto credentials = fetch_imds_credentials(http, *endpoint);
  EXPECT_EQ(credentials.access_key_id, "AKIDI");
  EXPECT_EQ(credentials.session_token, "i-token");
  EXPECT_EQ(credentials.source, "EC2 instance role bot-host-role");

  const auto requests = http.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(header(requests[0], "X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(header(requests[0], "X-aws-ec2-metadata-token"), "");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].url, "http://169.254.169.254/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].url,
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/bot-host-role");
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(header(requests[i], "X-aws-ec2-metadata-token"), "imds-session-token");
  }
  for (const auto& request : requests) {
    EXPECT_LE(request.timeout, std::chrono::seconds(1));
  }
}

TEST(AwsCredentialImdsTest, FailuresAreClassified) {
  const auto code_of = [](ScriptedHttp::Handler handler) {
    ScriptedHttp http(std::move(handler));
    try {
      fetch_imds_credentials(http, "http://169.254.169.254");
    } catch (const AwsError& e) {
      return e.code();
    }
    return std::string("none");
  };
  EXPECT_EQ(code_of(nullptr), "ImdsUnavailable");
  EXPECT_EQ(code_of([](const HttpRequest&) { return answer(403, ""); }), "ImdsUnavailable");
  EXPECT_EQ(code_of([](const HttpRequest& r) {
              return r.method == "PUT" ? answer(200, "t") : answer(404, "");
            }),
            "ImdsNoRole");
  EXPECT_EQ(code_of([](const HttpRequest& r) {
              if (r.method == "PUT") return answer(200, "t");
              if (r.url.ends_with("/")) return answer(200, "../../etc");
              return answer(200, "");
            }),
            "ImdsNoRole");
  EXPECT_EQ(code_of([](const HttpRequest& r) {
              if (r.method == "PUT") return answer(200, "t");
              if (r.url.ends_with("/")) return answer(200, "role");
              return answer(200, R"({"Code":"AssumeRoleUnauthorizedAccess"})");
            }),
            "ImdsCredentials");
}

TEST(AwsCredentialImdsTest, DisabledAndOverridden) {
  EXPECT_FALSE(imds_endpoint_from_env(env_of({{"AWS_EC2_METADATA_DISABLED", "true"}})));
  EXPECT_TRUE(imds_endpoint_from_env(env_of({{"AWS_EC2_METADATA_DISABLED", "false"}})));
  EXPECT_EQ(imds_endpoint_from_env(
                env_of({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111/"}})),
            "http://127.0.0.1:8111");
}

Credentials expiring(const std::string& key_id, std::chrono::system_clock::time_point at) {
  Credentials credentials;
  credentials.access_key_id = key_id;
  credentials.secret_access_key = "s";
  credentials.expiration = at;
  return credentials;
}

TEST(AwsCredentialCacheTest, RefreshesWhenLessThanTheMarginRemains) {
  FakeWallClock clock;
  int fetches = 0;
  RefreshingCredentialsProvider provider(
      [&] {
        ++fetches;
        return expiring("K" + std::to_string(fetches), clock.now() + std::chrono::minutes(60));
      },
      clock.fn(), std::chrono::minutes(10));
  EXPECT_EQ(provider.get().access_key_id, "K1");
  clock.advance(std::chrono::minutes(49));
  EXPECT_EQ(provider.get().access_key_id, "K1");
  clock.advance(std::chrono::minutes(2));  // 9 minutes left, margin 10
  EXPECT_EQ(provider.get().access_key_id, "K2");
  EXPECT_EQ(fetches, 2);
}

TEST(AwsCredentialCacheTest, FailedRefreshKeepsUsableCredentialsThenGivesUp) {
  FakeWallClock clock;
  bool fail = false;
  const auto expires = clock.now() + std::chrono::minutes(10);
  RefreshingCredentialsProvider provider(
      [&]() -> Credentials {
        if (fail) {
          throw AwsError("EndpointUnreachable", "sts down");
        }
        return expiring("K", expires);
      },
      clock.fn());
  EXPECT_EQ(provider.get().access_key_id, "K");
  fail = true;
  clock.advance(std::chrono::minutes(7));  // 3 minutes left: refresh fails, still usable
  EXPECT_EQ(provider.get().access_key_id, "K");
  clock.advance(std::chrono::minutes(2) + std::chrono::seconds(30));  // 30 s left
  EXPECT_THROW(provider.get(), AwsError);
}

TEST(AwsCredentialCacheTest, ConcurrentCallersShareOneFetch) {
  FakeWallClock clock;
  std::atomic<int> fetches{0};
  RefreshingCredentialsProvider provider(
      [&] {
        ++fetches;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return expiring("K", clock.now() + std::chrono::hours(1));
      },
      clock.fn());
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { EXPECT_EQ(provider.get().access_key_id, "K"); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(fetches.load(), 1);
}

TEST(AwsCredentialJsonTest, Iso8601Forms) {
  const auto base = parse_iso8601("2026-05-01T12:00:00Z");
  ASSERT_TRUE(base);
  using namespace std::chrono;
  EXPECT_EQ(*base, sys_days(year(2026) / May / 1) + hours(12));
  EXPECT_EQ(parse_iso8601("2026-05-01T12:00:00.123Z"), base);
  EXPECT_EQ(parse_iso8601("2026-05-01T14:00:00+02:00"), base);
  EXPECT_EQ(parse_iso8601("2026-05-01T07:30:00-0430"), base);
  for (const char* bad : {"2026-05-01T12:00:00", "2026-02-30T12:00:00Z", "tomorrow", "",
                          "2026-05-01T12:00:00Zjunk"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
}  // namespace drover::aws
