// Profiles: the INI dialect, static keys, role_arn + source_profile through STS, and the
// errors a broken profile gives.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/credential_chain.h"
#include "aws/credential_profiles.h"
#include "aws/credential_sts.h"
#include "aws/ini_file.h"
#include "aws_credential_test_support.h"
#include "util/subprocess.h"

namespace drover::aws {
namespace {

using testing::answer;
using testing::env_of;
using testing::FakeWallClock;
using testing::header;
using testing::ScriptedHttp;
using testing::TempDir;

TEST(AwsCredentialIniTest, ParsesSectionsKeysCommentsAndContinuations) {
  const auto file = parse_ini(
      "# a comment\n"
      "ignored = before any section\n"
      "[default]\n"
      "Region = eu-west-1\r\n"
      "; another comment\n"
      "credential_process = helper --name \"a b\" # not a comment\n"
      "s3 =\n"
      "    max_concurrent_requests = 10\n"
      "[ profile prod ]\n"
      "role_arn: arn:aws:iam::123456789012:role/deploy\n"
      "[broken\n"
      "lost = yes\n"
      "[default]\n"
      "output = json\n");
  ASSERT_EQ(file.sections.size(), 2u);
  const auto& section = file.sections.at("default");
  EXPECT_EQ(section.at("region"), "eu-west-1");
  EXPECT_EQ(section.at("credential_process"), "helper --name \"a b\" # not a comment");
  EXPECT_EQ(section.at("s3"), "\nmax_concurrent_requests = 10");
  EXPECT_EQ(section.at("output"), "json");  // a repeated section merges
  EXPECT_EQ(file.sections.at("profile prod").at("role_arn"),
            "arn:aws:iam::123456789012:role/deploy");
}

TEST(AwsCredentialIniTest, ReadingAMissingFileOrADirectoryGivesNothing) {
  TempDir dir;
  EXPECT_FALSE(read_ini_file(dir.str() + "/nope"));
  EXPECT_FALSE(read_ini_file(dir.str()));
}

TEST(AwsCredentialProfilesTest, MergesBothFilesWithTheCredentialsFileWinning) {
  TempDir home;
  home.write(".aws/config",
             "[default]\nregion = us-east-1\n"
             "[profile default]\nregion = eu-west-1\n"
             "[profile prod]\naws_access_key_id = AKIDCONFIG\nregion = eu-central-1\n"
             "[staging]\nregion = eu-north-1\n"
             "[sso-session corp]\nsso_region = eu-west-1\n");
  home.write(".aws/credentials", "[prod]\naws_access_key_id = AKIDCREDS\n");
  const auto files = load_profile_files(env_of({{"HOME", home.str()}}));
  EXPECT_TRUE(files.config_found);
  EXPECT_TRUE(files.credentials_found);
  EXPECT_EQ(files.find("default")->at("region"), "eu-west-1");
  EXPECT_EQ(files.find("prod")->at("aws_access_key_id"), "AKIDCREDS");
  EXPECT_EQ(files.find("prod")->at("region"), "eu-central-1");
  EXPECT_EQ(files.find("staging"), nullptr);
  EXPECT_EQ(files.ignored_config_sections, std::vector<std::string>{"staging"});
  EXPECT_EQ(files.find("sso-session corp"), nullptr);
}

TEST(AwsCredentialStsTest, BodyIsFormEncoded) {
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/deploy/bots";
  request.session_name = "drover-1";
  request.external_id = "a b&c";
  request.duration_seconds = 900;
  EXPECT_EQ(assume_role_body(request),
            "Action=AssumeRole&Version=2011-06-15"
            "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeploy%2Fbots"
            "&RoleSessionName=drover-1&ExternalId=a%20b%26c&DurationSeconds=900");
}

TEST(AwsCredentialStsTest, EndpointFollowsTheOverrides) {
  EXPECT_EQ(sts_endpoint(env_of({}), "eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(sts_endpoint(env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566/"}}), "eu-west-1"),
            "http://127.0.0.1:4566");
  EXPECT_EQ(
      sts_endpoint(env_of({{"AWS_ENDPOINT_URL", "http://a"}, {"AWS_ENDPOINT_URL_STS", "http://b"}}),
                   "eu-west-1"),
      "http://b");
}

TEST(AwsCredentialStsTest, XmlTextDecodesEntities) {
  EXPECT_EQ(xml_element_text("<a><Message>x &lt;y&gt; &amp; &#39;z&#x27;</Message></a>", "Message"),
            "x <y> & 'z'");
  EXPECT_FALSE(xml_element_text("<a></a>", "Message"));
}

std::string sts_success(const std::string& key_id, const std::string& expiration) {
  return "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/"
         "deploy/drover</Arn><AssumedRoleUserId>AROA:drover</AssumedRoleUserId>"
         "</AssumedRoleUser><Credentials><AccessKeyId>" +
         key_id +
         "</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>"
         "<SessionToken>role-session-token</SessionToken><Expiration>" +
         expiration +
         "</Expiration></Credentials></AssumeRoleResult>"
         "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>";
}

class NoProcesses final : public ProcessRunner {
 public:
  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions&) override {
    throw std::runtime_error("no process expected, asked to run " + argv.front());
  }
};

class AwsCredentialProfileTest : public ::testing::Test {
 protected:
  std::unique_ptr<CredentialsProvider> chain(std::optional<std::string> profile,
                                             std::map<std::string, std::string> extra_env = {}) {
    extra_env["HOME"] = home_.str();
    return make_default_credential_chain(CredentialChainOptions{
        .http = http_,
        .processes = processes_,
        .clock = clock_.fn(),
        .region = "eu-west-1",
        .env = env_of(std::move(extra_env)),
        .profile = std::move(profile),
    });
  }

  AwsError error_of(std::optional<std::string> profile) {
    try {
      chain(std::move(profile))->get();
    } catch (const AwsError& e) {
      return e;
    }
    ADD_FAILURE() << "no AwsError";
    return AwsError("none", "none");
  }

  void write_role_profiles() {
    home_.write(".aws/credentials",
                "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    home_.write(".aws/config",
                "[profile deploy]\n"
                "role_arn = arn:aws:iam::123456789012:role/deploy\n"
                "source_profile = base\n"
                "external_id = fleet-42\n"
                "duration_seconds = 1800\n"
                "[profile chained]\n"
                "role_arn = arn:aws:iam::210987654321:role/bots\n"
                "source_profile = deploy\n");
  }

  TempDir home_;
  ScriptedHttp http_;
  NoProcesses processes_;
  FakeWallClock clock_;
};

TEST_F(AwsCredentialProfileTest, StaticKeysWithTheOldTokenName) {
  home_.write(".aws/credentials",
              "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret\n"
              "aws_security_token = old-token\n");
  const auto credentials = chain("prod")->get();
  EXPECT_EQ(credentials.access_key_id, "AKIDPROD");
  EXPECT_EQ(credentials.secret_access_key, "prod-secret");
  EXPECT_EQ(credentials.session_token, "old-token");
}

TEST_F(AwsCredentialProfileTest, HalfSetKeysNameTheMissingOne) {
  home_.write(".aws/credentials", "[prod]\naws_access_key_id = AKIDPROD\n");
  const auto error = error_of("prod");
  EXPECT_EQ(error.code(), "InvalidProfile");
  EXPECT_NE(error.message().find("but not aws_secret_access_key"), std::string::npos)
      << error.message();
}

TEST_F(AwsCredentialProfileTest, AssumesTheRoleWithTheSourceProfilesKeys) {
  write_role_profiles();
  http_.set_handler([](const HttpRequest&) {
    return answer(200, sts_success("ASIAROLE", "2026-05-01T01:00:00Z"));
  });
  const auto credentials = chain("deploy")->get();
  EXPECT_EQ(credentials.access_key_id, "ASIAROLE");
  EXPECT_EQ(credentials.secret_access_key, "role-secret");
  EXPECT_EQ(credentials.session_token, "role-session-token");
  ASSERT_TRUE(credentials.expiration);
  EXPECT_EQ(*credentials.expiration, clock_.now() + std::chrono::hours(1));

  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_EQ(header(request, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_NE(request.body.find("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws"),
            std::string::npos);
  EXPECT_NE(request.body.find("&RoleSessionName=drover-1777593600"), std::string::npos)
      << request.body;
  EXPECT_NE(request.body.find("&ExternalId=fleet-42&DurationSeconds=1800"), std::string::npos);
  // Signed with the source profile's key for STS in the chain's region.
  EXPECT_NE(header(request, "Authorization")
                .find("Credential=AKIDBASE/20260501/eu-west-1/sts/aws4_request"),
            std::string::npos)
      << header(request, "Authorization");
}

TEST_F(AwsCredentialProfileTest, ChainedRolesAssumeInOrder) {
  write_role_profiles();
  int calls = 0;
  http_.set_handler([&calls](const HttpRequest&) {
    ++calls;
    return answer(200,
                  sts_success(calls == 1 ? "ASIAFIRST" : "ASIASECOND", "2026-05-01T01:00:00Z"));
  });
  EXPECT_EQ(chain("chained")->get().access_key_id, "ASIASECOND");
  const auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].body.find("role%2Fdeploy"), std::string::npos);
  EXPECT_NE(header(requests[0], "Authorization").find("Credential=AKIDBASE/"), std::string::npos);
  EXPECT_NE(requests[1].body.find("role%2Fbots"), std::string::npos);
  EXPECT_NE(header(requests[1], "Authorization").find("Credential=ASIAFIRST/"), std::string::npos);
  EXPECT_EQ(header(requests[1], "X-Amz-Security-Token"), "role-session-token");
}

TEST_F(AwsCredentialProfileTest, RoleCredentialsAreRefreshedBeforeTheyExpire) {
  write_role_profiles();
  int calls = 0;
  http_.set_handler([&calls](const HttpRequest&) {
    ++calls;
    return answer(200, sts_success("ASIA" + std::to_string(calls),
                                   calls == 1 ? "2026-05-01T01:00:00Z" : "2026-05-01T02:00:00Z"));
  });
  auto provider = chain("deploy");
  EXPECT_EQ(provider->get().access_key_id, "ASIA1");
  clock_.advance(std::chrono::minutes(54));  // 6 minutes left: still held
  EXPECT_EQ(provider->get().access_key_id, "ASIA1");
  clock_.advance(std::chrono::minutes(2));  // 4 minutes left: refreshed
  EXPECT_EQ(provider->get().access_key_id, "ASIA2");
  EXPECT_EQ(calls, 2);
}

TEST_F(AwsCredentialProfileTest, StsRefusalKeepsStsCodeAndMessage) {
  write_role_profiles();
  http_.set_handler([](const HttpRequest&) {
    return answer(403,
                  "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
                  "User: arn:aws:iam::123456789012:user/op is not authorized to perform: "
                  "sts:AssumeRole</Message></Error></ErrorResponse>");
  });
  const auto error = error_of("deploy");
  EXPECT_EQ(error.code(), "AccessDenied");
  EXPECT_EQ(error.http_status(), 403);
  EXPECT_NE(error.message().find("profile deploy: assuming arn:aws:iam::123456789012:role/deploy"),
            std::string::npos)
      << error.message();
  EXPECT_NE(error.message().find("is not authorized"), std::string::npos);
  EXPECT_EQ(error.message().find("base-secret"), std::string::npos);
}

TEST_F(AwsCredentialProfileTest, SourceProfileLoopIsAnError) {
  home_.write(".aws/config",
              "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
              "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
              "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n");
  const auto error = error_of("a");
  EXPECT_EQ(error.code(), "InvalidProfile");
  EXPECT_NE(error.message().find("a -> b -> c -> a"), std::string::npos) << error.message();
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AwsCredentialProfileTest, ProfileMayBeItsOwnSource) {
  home_.write(".aws/credentials",
              "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n"
              "role_arn = arn:aws:iam::1:role/self\nsource_profile = self\n");
  http_.set_handler([](const HttpRequest&) {
    return answer(200, sts_success("ASIASELF", "2026-05-01T01:00:00Z"));
  });
  EXPECT_EQ(chain("self")->get().access_key_id, "ASIASELF");
  EXPECT_NE(header(http_.requests().at(0), "Authorization").find("Credential=AKIDSELF/"),
            std::string::npos);
}

TEST_F(AwsCredentialProfileTest, MissingSourceProfileAndUnsupportedSettings) {
  home_.write(".aws/config",
              "[profile orphan]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = gone\n"
              "[profile lonely]\nrole_arn = arn:aws:iam::1:role/x\n"
              "[profile mfa]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = orphan\n"
              "mfa_serial = arn:aws:iam::1:mfa/op\n"
              "[profile sso]\nsso_session = corp\nsso_account_id = 1\n");
  EXPECT_NE(error_of("orphan").message().find("source_profile gone, which is not in"),
            std::string::npos);
  EXPECT_NE(error_of("lonely").message().find("neither source_profile nor credential_source"),
            std::string::npos);
  EXPECT_NE(error_of("mfa").message().find("MFA"), std::string::npos);
  EXPECT_NE(error_of("sso").message().find("aws configure export-credentials --profile sso"),
            std::string::npos);
}

TEST_F(AwsCredentialProfileTest, CredentialSourceEnvironment) {
  home_.write(".aws/config",
              "[profile env-role]\nrole_arn = arn:aws:iam::1:role/x\n"
              "credential_source = Environment\n");
  http_.set_handler([](const HttpRequest&) {
    return answer(200, sts_success("ASIAENVROLE", "2026-05-01T01:00:00Z"));
  });
  auto provider = chain(
      "env-role", {{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}});
  EXPECT_EQ(provider->get().access_key_id, "ASIAENVROLE");
  EXPECT_NE(header(http_.requests().at(0), "Authorization").find("Credential=AKIDENV/"),
            std::string::npos);
}

TEST_F(AwsCredentialProfileTest, AssumeRoleCanBeRoutedElsewhere) {
  write_role_profiles();
  AssumeRoleRequest seen;
  Credentials seen_source;
  auto provider = make_default_credential_chain(CredentialChainOptions{
      .http = http_,
      .processes = processes_,
      .clock = clock_.fn(),
      .region = "eu-north-1",
      .env = env_of({{"HOME", home_.str()}, {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1"}}),
      .profile = "deploy",
      .assume_role =
          [&](const AssumeRoleRequest& request, const Credentials& source) {
            seen = request;
            seen_source = source;
            Credentials result;
            result.access_key_id = "ASIAROUTED";
            result.secret_access_key = "s";
            return result;
          },
  });
  EXPECT_EQ(provider->get().access_key_id, "ASIAROUTED");
  EXPECT_EQ(seen.role_arn, "arn:aws:iam::123456789012:role/deploy");
  EXPECT_EQ(seen.region, "eu-north-1");
  EXPECT_EQ(seen.endpoint, "http://127.0.0.1:1");
  EXPECT_EQ(seen.external_id, "fleet-42");
  EXPECT_EQ(seen.duration_seconds, 1800);
  EXPECT_EQ(seen_source.access_key_id, "AKIDBASE");
  EXPECT_TRUE(http_.requests().empty());
}

}  // namespace
}  // namespace drover::aws
