// No error message from the credential chain carries a secret: every broken setup below has
// the same marker in each secret-bearing place, and no message may contain it.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/credential_chain.h"
#include "aws_credential_test_support.h"

namespace drover::aws {
namespace {

using testing::answer;
using testing::env_of;
using testing::FakeWallClock;
using testing::ScriptedHttp;
using testing::TempDir;

constexpr const char* kSecret = "SeCrEtMaRkEr";

struct BrokenSetup {
  const char* name;
  std::map<std::string, std::string> env;
  std::string config;
  std::string credentials;
  std::optional<std::string> profile;
  ScriptedHttp::Handler http;
};

TEST(AwsCredentialSecretsTest, NoErrorMessageContainsASecret) {
  const std::string secret = kSecret;
  const std::string secret_json = R"({"AccessKeyId":"AKIDX","SecretAccessKey":")" + secret +
                                  R"(","Token":")" + secret + R"(","Expiration":"soon )" + secret +
                                  R"("})";
  const std::vector<BrokenSetup> setups = {
      {"secret without key id", {{"AWS_SECRET_ACCESS_KEY", secret}}, "", "", {}, nullptr},
      {"profile half keys", {}, "", "[p]\naws_secret_access_key = " + secret + "\n", "p", nullptr},
      {"bare config section",
       {},
       "[p]\naws_secret_access_key = " + secret + "\n",
       "",
       "p",
       nullptr},
      {"role refused",
       {},
       "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = s\n",
       "[s]\naws_access_key_id = AKIDS\naws_secret_access_key = " + secret +
           "\naws_session_token = " + secret + "\n",
       "r",
       [](const HttpRequest&) {
         return answer(403,
                       "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no"
                       "</Message></Error></ErrorResponse>");
       }},
      {"role answer without expiration",
       {},
       "[profile r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = s\n",
       "[s]\naws_access_key_id = AKIDS\naws_secret_access_key = " + secret + "\n",
       "r",
       [secret](const HttpRequest&) {
         return answer(200, "<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>" +
                                secret + "</SecretAccessKey><SessionToken>" + secret +
                                "</SessionToken></Credentials>");
       }},
      {"container bad expiration",
       {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/c"},
        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", secret}},
       "",
       "",
       {},
       [secret_json](const HttpRequest&) { return answer(200, secret_json); }},
      {"container refused",
       {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/c"},
        {"AWS_CONTAINER_AUTHORIZATION_TOKEN", secret}},
       "",
       "",
       {},
       [](const HttpRequest&) { return answer(401, "denied"); }},
      {"container not json",
       {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}},
       "",
       "",
       {},
       [secret](const HttpRequest&) { return answer(200, "{\"SecretAccessKey\": \"" + secret); }},
      {"imds bad credentials",
       {},
       "",
       "",
       {},
       [secret_json](const HttpRequest& request) {
         if (request.method == "PUT") return answer(200, "tok");
         if (request.url.ends_with("/")) return answer(200, "role");
         return answer(200, secret_json);
       }},
  };
  for (const auto& setup : setups) {
    SCOPED_TRACE(setup.name);
    TempDir home;
    home.write(".aws/config", setup.config);
    home.write(".aws/credentials", setup.credentials);
    auto env = setup.env;
    env["HOME"] = home.str();
    ScriptedHttp http(setup.http);
    PosixProcessRunner processes;
    FakeWallClock clock;
    auto chain = make_default_credential_chain(CredentialChainOptions{
        .http = http,
        .processes = processes,
        .clock = clock.fn(),
        .region = "eu-west-1",
        .env = env_of(env),
        .profile = setup.profile,
    });
    try {
      chain->get();
      ADD_FAILURE() << "no error";
    } catch (const AwsError& e) {
      EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace drover::aws
