// The default chain: which source wins, what is an error, and what the errors say.
#include <gtest/gtest.h>

#include "aws/aws_error.h"
#include "aws/credential_chain.h"
#include "aws_credential_test_support.h"
#include "util/subprocess.h"

namespace drover::aws {
namespace {

using testing::answer;
using testing::credentials_json;
using testing::env_of;
using testing::FakeWallClock;
using testing::ScriptedHttp;
using testing::TempDir;

class NoProcesses final : public ProcessRunner {
 public:
  ProcessResult run(const std::vector<std::string>& argv, const ProcessOptions&) override {
    throw std::runtime_error("no process expected, asked to run " + argv.front());
  }
};

// Answers container and IMDS requests with distinct keys so a test sees which source won.
HttpResponse container_and_imds(const HttpRequest& request) {
  if (request.url.rfind("http://169.254.170.2/", 0) == 0) {
    return answer(200, credentials_json("AKIDCONTAINER", "container-secret", "container-token",
                                        "2026-05-01T06:00:00Z"));
  }
  if (request.url == "http://169.254.169.254/latest/api/token") {
    return answer(200, "imds-token");
  }
  if (request.url == "http://169.254.169.254/latest/meta-data/iam/security-credentials/") {
    return answer(200, "bot-host-role");
  }
  if (request.url ==
      "http://169.254.169.254/latest/meta-data/iam/security-credentials/bot-host-role") {
    return answer(200, credentials_json("AKIDIMDS", "imds-secret", "imds-token-value",
                                        "2026-05-01T06:00:00Z"));
  }
  return answer(404, "");
}

class AwsCredentialChainTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> base_env() { return {{"HOME", home_.str()}}; }

  Credentials get(std::map<std::string, std::string> env,
                  std::optional<std::string> profile = std::nullopt) {
    return make_chain(std::move(env), std::move(profile))->get();
  }

  std::unique_ptr<CredentialsProvider> make_chain(std::map<std::string, std::string> env,
                                                  std::optional<std::string> profile) {
    return make_default_credential_chain(CredentialChainOptions{
        .http = http_,
        .processes = processes_,
        .clock = clock_.fn(),
        .region = "eu-west-1",
        .env = env_of(std::move(env)),
        .profile = std::move(profile),
    });
  }

  AwsError error_of(std::map<std::string, std::string> env,
                    std::optional<std::string> profile = std::nullopt) {
    try {
      get(std::move(env), std::move(profile));
    } catch (const AwsError& e) {
      return e;
    }
    ADD_FAILURE() << "no AwsError";
    return AwsError("none", "none");
  }

  void write_default_profile() {
    home_.write(".aws/credentials",
                "[default]\naws_access_key_id = AKIDPROFILE\n"
                "aws_secret_access_key = profile-secret\n");
  }

  TempDir home_;
  ScriptedHttp http_{container_and_imds};
  NoProcesses processes_;
  FakeWallClock clock_;
};

TEST_F(AwsCredentialChainTest, EnvironmentComesFirst) {
  write_default_profile();
  auto env = base_env();
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  env["AWS_SESSION_TOKEN"] = "env-token";
  env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  const auto credentials = get(env);
  EXPECT_EQ(credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(credentials.secret_access_key, "env-secret");
  EXPECT_EQ(credentials.session_token, "env-token");
  EXPECT_FALSE(credentials.expiration);
  EXPECT_EQ(credentials.source, "environment");
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AwsCredentialChainTest, ProfileBeatsContainerAndImds) {
  write_default_profile();
  auto env = base_env();
  env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  const auto credentials = get(env);
  EXPECT_EQ(credentials.access_key_id, "AKIDPROFILE");
  EXPECT_EQ(credentials.source, "profile default");
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AwsCredentialChainTest, ContainerBeatsImds) {
  auto env = base_env();
  env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  const auto credentials = get(env);
  EXPECT_EQ(credentials.access_key_id, "AKIDCONTAINER");
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(http_.requests()[0].url, "http://169.254.170.2/v2/credentials/abc");
}

TEST_F(AwsCredentialChainTest, ImdsIsTheLastResort) {
  const auto credentials = get(base_env());
  EXPECT_EQ(credentials.access_key_id, "AKIDIMDS");
  EXPECT_EQ(credentials.source, "EC2 instance role bot-host-role");
}

TEST_F(AwsCredentialChainTest, ProfileFlagSkipsTheEnvironmentButAwsProfileDoesNot) {
  home_.write(".aws/credentials",
              "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret\n");
  auto env = base_env();
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  EXPECT_EQ(get(env, "prod").access_key_id, "AKIDPROD");
  env["AWS_PROFILE"] = "prod";
  EXPECT_EQ(get(env).access_key_id, "AKIDENV");
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  EXPECT_EQ(get(env).access_key_id, "AKIDPROD");
}

TEST_F(AwsCredentialChainTest, HalfSetEnvironmentNamesTheMissingVariable) {
  auto env = base_env();
  env["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  auto error = error_of(env);
  EXPECT_EQ(error.code(), "PartialCredentials");
  EXPECT_NE(error.message().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos)
      << error.message();

  env = base_env();
  env["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  error = error_of(env);
  EXPECT_EQ(error.code(), "PartialCredentials");
  EXPECT_NE(error.message().find("AWS_ACCESS_KEY_ID is not"), std::string::npos) << error.message();
  EXPECT_EQ(error.message().find("env-secret"), std::string::npos);
}

TEST_F(AwsCredentialChainTest, EmptyVariablesCountAsUnset) {
  write_default_profile();
  auto env = base_env();
  env["AWS_ACCESS_KEY_ID"] = "";
  env["AWS_SECRET_ACCESS_KEY"] = "";
  EXPECT_EQ(get(env).access_key_id, "AKIDPROFILE");
}

TEST_F(AwsCredentialChainTest, MissingNamedProfileIsAnErrorNamingTheFiles) {
  write_default_profile();
  home_.write(".aws/config", "[profile staging]\nregion = eu-west-1\n");
  for (const auto& [profile, how] :
       {std::pair<std::optional<std::string>, std::string>{"prod", "--profile"},
        {std::nullopt, "$AWS_PROFILE"}}) {
    auto env = base_env();
    if (!profile) {
      env["AWS_PROFILE"] = "prod";
    }
    const auto error = error_of(env, profile);
    EXPECT_EQ(error.code(), "ProfileNotFound");
    EXPECT_NE(error.message().find("profile prod (from " + how + ")"), std::string::npos)
        << error.message();
    EXPECT_NE(error.message().find(home_.str() + "/.aws/credentials"), std::string::npos);
    EXPECT_NE(error.message().find(home_.str() + "/.aws/config"), std::string::npos);
    EXPECT_NE(error.message().find("default, staging"), std::string::npos) << error.message();
    EXPECT_TRUE(http_.requests().empty());  // no fall-through to container or IMDS
  }
}

TEST_F(AwsCredentialChainTest, BareSectionInConfigIsNotAProfileAndTheErrorSaysSo) {
  home_.write(".aws/config",
              "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = prod-secret\n");
  const auto error = error_of(base_env(), "prod");
  EXPECT_EQ(error.code(), "ProfileNotFound");
  EXPECT_NE(error.message().find("written [profile prod]"), std::string::npos) << error.message();
  EXPECT_EQ(error.message().find("prod-secret"), std::string::npos);
}

TEST_F(AwsCredentialChainTest, ProfileSectionInConfigAndDefaultSection) {
  home_.write(".aws/config",
              "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d-secret\n"
              "[profile prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p-secret\n");
  EXPECT_EQ(get(base_env()).access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(get(base_env(), "prod").access_key_id, "AKIDPROD");
  EXPECT_EQ(get(base_env(), "prod").source, "profile prod");
}

TEST_F(AwsCredentialChainTest, FileLocationsFollowTheOverrideVariables) {
  const auto credentials_file = home_.write(
      "elsewhere/creds", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = s\n");
  auto env = base_env();
  env["AWS_SHARED_CREDENTIALS_FILE"] = credentials_file;
  env["AWS_CONFIG_FILE"] = "~/elsewhere/config";
  EXPECT_EQ(get(env).access_key_id, "AKIDMOVED");
  home_.write("elsewhere/config",
              "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = s\n");
  EXPECT_EQ(get(env, "cfg").access_key_id, "AKIDCFG");
}

TEST_F(AwsCredentialChainTest, ProfileWithoutCredentialsFallsThroughToTheInstanceRole) {
  home_.write(".aws/config", "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(get(base_env()).access_key_id, "AKIDIMDS");
}

TEST_F(AwsCredentialChainTest, NothingFoundListsWhatWasTriedAndHowToFix) {
  http_.set_handler(nullptr);  // nothing answers: not on EC2
  const auto error = error_of(base_env());
  EXPECT_EQ(error.code(), "NoCredentials");
  for (const char* part :
       {"environment (AWS_ACCESS_KEY_ID not set)", "profile default (not in",
        "/.aws/credentials (not found)", "container credentials", "EC2 instance role",
        "no IMDSv2 token", "Couldn't connect", "aws configure", "--profile"}) {
    EXPECT_NE(error.message().find(part), std::string::npos) << part << " in " << error.message();
  }
}

TEST_F(AwsCredentialChainTest, ImdsCanBeDisabled) {
  auto env = base_env();
  env["AWS_EC2_METADATA_DISABLED"] = "TRUE";
  const auto error = error_of(env);
  EXPECT_EQ(error.code(), "NoCredentials");
  EXPECT_NE(error.message().find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AwsCredentialChainTest, ImdsEndpointOverride) {
  auto env = base_env();
  env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9/";
  http_.set_handler(nullptr);
  error_of(env);
  ASSERT_FALSE(http_.requests().empty());
  EXPECT_EQ(http_.requests()[0].url, "http://127.0.0.1:9/latest/api/token");
  EXPECT_LE(http_.requests()[0].timeout, std::chrono::seconds(1));
}

TEST_F(AwsCredentialChainTest, ResolvedOnceThenAskedAgainOnlyForRefresh) {
  auto chain = make_chain(base_env(), std::nullopt);
  EXPECT_EQ(chain->get().access_key_id, "AKIDIMDS");
  const auto after_first = http_.requests().size();
  EXPECT_EQ(chain->get().access_key_id, "AKIDIMDS");
  EXPECT_EQ(http_.requests().size(), after_first);                  // held, not fetched again
  clock_.advance(std::chrono::hours(6) - std::chrono::minutes(4));  // 4 minutes left
  EXPECT_EQ(chain->get().access_key_id, "AKIDIMDS");
  EXPECT_EQ(http_.requests().size(), 2 * after_first);
}

TEST_F(AwsCredentialChainTest, FailedResolutionIsRetriedAtTheNextCall) {
  http_.set_handler(nullptr);
  auto chain = make_chain(base_env(), std::nullopt);
  EXPECT_THROW(chain->get(), AwsError);
  http_.set_handler(container_and_imds);
  EXPECT_EQ(chain->get().access_key_id, "AKIDIMDS");
}

}  // namespace
}  // namespace drover::aws
