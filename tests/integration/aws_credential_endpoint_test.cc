// The default credential chain against the local AWS-protocol endpoint (tests/fake_aws), over
// the real libcurl client and the real process runner: the unit tests script every answer, so
// only here do the wire formats (IMDSv2 token dance, container Authorization, STS XML, SigV4
// with a session token) meet an independent implementation. Every credential the chain hands
// back is proven by signing a GetCallerIdentity call with it: the endpoint verifies the
// signature, so a wrong secret or a dropped session token fails there, not just in an EXPECT
// on a string.
//
// Each test writes its own HOME in a temporary directory and gives the chain its environment
// through EnvLookup: neither the real ~/.aws nor the process environment can leak in.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws_error.h"
#include "aws/credential_chain.h"
#include "aws/credential_sts.h"
#include "aws/credentials.h"
#include "support/fake_aws.h"
#include "util/http/curl_http_client.h"
#include "util/subprocess.h"

namespace drover::aws {
namespace {

using drover::testing::FakeAws;
using drover::testing::FakeAwsOptions;
using Env = std::map<std::string, std::string>;

constexpr const char* kRole = "arn:aws:iam::123456789012:role/drover-deployer";
constexpr const char* kForbiddenRole = "arn:aws:iam::123456789012:role/not-on-the-list";
constexpr const char* kContainerToken = "container-auth-token-0123456789";
constexpr const char* kImdsRole = "drover-bot-host";  // not the default: the chain must ask
constexpr const char* kAccount = "123456789012";

/// A directory that lives as long as the test: the temporary HOME and helper scripts.
class TempDir {
 public:
  TempDir() {
    std::string path = (std::filesystem::temp_directory_path() / "drover-cred-it-XXXXXX").string();
    if (mkdtemp(path.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = path;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  std::string write(const std::string& relative, const std::string& text, bool executable = false) {
    const std::filesystem::path full = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary | std::ios::trunc) << text;
    if (executable) {
      chmod(full.c_str(), 0755);
    }
    return full.string();
  }

  void remove(const std::string& relative) {
    std::filesystem::remove(std::filesystem::path(path_) / relative);
  }

 private:
  std::string path_;
};

EnvLookup lookup_of(Env env) {
  return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    const auto found = env.find(name);
    return found == env.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

struct CallerIdentity {
  long status = 0;
  std::string arn;   // empty unless status is 200
  std::string code;  // STS's error code otherwise
  std::string body;  // for failure messages
};

/// Lines of the endpoint's request log (one per request: client, request line, status) that
/// contain `needle`, in order.
std::vector<std::string> log_lines_with(const std::string& log, const std::string& needle) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

class AwsCredentialEndpointTest : public ::testing::Test {
 protected:
  AwsCredentialEndpointTest() : AwsCredentialEndpointTest(FakeAwsOptions{}) {}
  explicit AwsCredentialEndpointTest(FakeAwsOptions options)
      : aws_(with_defaults(std::move(options))) {
    secrets_ = {FakeAws::kSecretKey, kContainerToken};
  }

  static FakeAwsOptions with_defaults(FakeAwsOptions options) {
    options.roles.push_back(kRole);
    options.container_token = kContainerToken;
    options.extra_args.insert(options.extra_args.end(), {"--imds-role", kImdsRole});
    return options;
  }

  // Requirement 6 for every test: whatever happened, the endpoint's call log and request log
  // hold no secret key, session token or container token that was in play.
  void TearDown() override {
    expect_no_secret(aws_.calls().dump(), "the endpoint's calls()");
    expect_no_secret(aws_.log(), "the endpoint's log");
  }

  Env home_env() const { return {{"HOME", home_.path()}}; }

  std::unique_ptr<CredentialsProvider> chain(
      Env env, std::optional<std::string> profile = std::nullopt,
      std::chrono::seconds refresh_before = kDefaultRefreshBefore) {
    return make_default_credential_chain(CredentialChainOptions{
        .http = http_,
        .processes = processes_,
        .clock = std::chrono::system_clock::now,
        .region = FakeAws::kRegion,
        .env = lookup_of(std::move(env)),
        .profile = std::move(profile),
        .refresh_before = refresh_before,
    });
  }

  /// get() once, remembering the secrets so that TearDown and expect_no_secret look for them.
  Credentials get(CredentialsProvider& provider) {
    auto credentials = provider.get();
    remember(credentials);
    return credentials;
  }

  void remember(const Credentials& credentials) {
    for (const auto* secret : {&credentials.secret_access_key, &credentials.session_token}) {
      if (!secret->empty()) {
        secrets_.push_back(*secret);
      }
    }
  }

  /// The AwsError get() throws; a test failure when it returns instead.
  AwsError error_of(CredentialsProvider& provider) {
    try {
      remember(provider.get());
    } catch (const AwsError& e) {
      expect_no_secret(e.what(), "the error");
      expect_no_secret(e.message(), "the error message");
      return e;
    }
    ADD_FAILURE() << "get() returned credentials, expected an AwsError";
    return AwsError("none", "none");
  }

  void expect_no_secret(const std::string& text, const std::string& what) {
    for (const auto& secret : secrets_) {
      // The message names the secret's length, never the secret itself.
      EXPECT_EQ(text.find(secret), std::string::npos)
          << what << " contains a secret of " << secret.size() << " characters";
    }
  }

  /// STS GetCallerIdentity signed with `credentials` (session token included when present),
  /// sent through the real client: the endpoint's verdict on whether they work.
  CallerIdentity caller_identity(const Credentials& credentials) {
    HttpRequest request;
    request.method = "POST";
    request.url = aws_.url() + "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = "Action=GetCallerIdentity&Version=2011-06-15";
    sigv4_request_signer(std::chrono::system_clock::now)(request, credentials, FakeAws::kRegion,
                                                         "sts");
    const auto response = http_.send(request);
    CallerIdentity identity;
    identity.status = response.status;
    identity.body = response.transport_error.empty() ? response.body : response.transport_error;
    identity.arn = xml_element_text(response.body, "Arn").value_or("");
    identity.code = xml_element_text(response.body, "Code").value_or("");
    return identity;
  }

  /// Asserts the endpoint accepts `credentials` and returns the identity they stand for.
  std::string accepted_arn(const Credentials& credentials) {
    const auto identity = caller_identity(credentials);
    EXPECT_EQ(identity.status, 200) << credentials.source << ": " << identity.body;
    return identity.arn;
  }

  /// Temporary credentials from the endpoint's STS, obtained outside the chain: a profile
  /// with static keys can then hold keys that differ from the environment's (the endpoint
  /// knows one long-term pair only) and still be accepted.
  Credentials assume_role_directly(const std::string& session_name) {
    AssumeRoleRequest request;
    request.role_arn = kRole;
    request.session_name = session_name;
    request.region = FakeAws::kRegion;
    request.endpoint = aws_.url();
    request.profile = "test setup";
    const Credentials base{FakeAws::kAccessKey, FakeAws::kSecretKey, "", std::nullopt, "setup"};
    auto credentials =
        sts_assume_role(http_, sigv4_request_signer(std::chrono::system_clock::now), request, base);
    remember(credentials);
    return credentials;
  }

  std::string container_url() const { return aws_.url() + "/container-credentials/x"; }

  FakeAws aws_;
  TempDir home_;
  CurlHttpClient http_;
  PosixProcessRunner processes_;
  std::vector<std::string> secrets_;
};

// Requirement 1: env, then the profile, then container credentials, then IMDSv2, then
// NoCredentials, each step removing the winner of the one before. A fresh chain per step: a
// chain keeps the source it chose first.
TEST_F(AwsCredentialEndpointTest, EachSourceInOrder) {
  const auto profile_keys = assume_role_directly("profile-step");
  home_.write(".aws/credentials",
              "[default]\naws_access_key_id = " + profile_keys.access_key_id +
                  "\naws_secret_access_key = " + profile_keys.secret_access_key +
                  "\naws_session_token = " + profile_keys.session_token + "\n");
  Env env = home_env();
  env["AWS_ACCESS_KEY_ID"] = FakeAws::kAccessKey;
  env["AWS_SECRET_ACCESS_KEY"] = FakeAws::kSecretKey;
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container_url();
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = kContainerToken;
  env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = aws_.url();

  // 1. The environment wins over everything that is also configured.
  {
    const auto credentials = get(*chain(env));
    EXPECT_EQ(credentials.source, "environment");
    EXPECT_EQ(credentials.access_key_id, FakeAws::kAccessKey);
    EXPECT_EQ(accepted_arn(credentials),
              std::string("arn:aws:iam::") + kAccount + ":user/drover-test");
  }

  // 2. Without the environment keys, the default profile in the temporary HOME.
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  {
    const auto credentials = get(*chain(env));
    EXPECT_EQ(credentials.source, "profile default");
    EXPECT_EQ(credentials.access_key_id, profile_keys.access_key_id);
    EXPECT_EQ(credentials.session_token, profile_keys.session_token);
    EXPECT_EQ(accepted_arn(credentials), std::string("arn:aws:sts::") + kAccount +
                                             ":assumed-role/drover-deployer/profile-step");
  }
  // Neither step asked the container or metadata endpoints: the winner is taken as found.
  EXPECT_TRUE(log_lines_with(aws_.log(), "/container-credentials").empty()) << aws_.log();
  EXPECT_TRUE(log_lines_with(aws_.log(), "/latest/").empty()) << aws_.log();

  // 3. Without a profile, the container credentials endpoint (with its Authorization token).
  home_.remove(".aws/credentials");
  {
    const auto credentials = get(*chain(env));
    EXPECT_EQ(credentials.access_key_id.rfind("ASIA", 0), 0u) << credentials.access_key_id;
    EXPECT_FALSE(credentials.session_token.empty());
    EXPECT_TRUE(credentials.expiration.has_value());
    EXPECT_EQ(accepted_arn(credentials), std::string("arn:aws:sts::") + kAccount +
                                             ":assumed-role/" + kImdsRole + "/container");
  }
  EXPECT_EQ(log_lines_with(aws_.log(), "GET /container-credentials/x").size(), 1u) << aws_.log();

  // 4. Without container variables, the instance role through IMDSv2.
  env.erase("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  env.erase("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  {
    const auto credentials = get(*chain(env));
    EXPECT_EQ(credentials.source, std::string("EC2 instance role ") + kImdsRole);
    EXPECT_EQ(credentials.access_key_id.rfind("ASIA", 0), 0u) << credentials.access_key_id;
    EXPECT_EQ(accepted_arn(credentials),
              std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + kImdsRole + "/imds");
  }

  // 5. Metadata disabled and nothing else: NoCredentials, naming every source it tried.
  const auto error =
      error_of(*chain({{"HOME", home_.path()}, {"AWS_EC2_METADATA_DISABLED", "true"}}));
  EXPECT_EQ(error.code(), "NoCredentials");
  for (const auto* tried : {"environment (AWS_ACCESS_KEY_ID not set)", "profile default",
                            "container credentials", "AWS_EC2_METADATA_DISABLED is true"}) {
    EXPECT_NE(error.message().find(tried), std::string::npos)
        << "missing \"" << tried << "\" in: " << error.message();
  }
}

// An unreachable metadata endpoint is a source tried, not a hang or a crash: NoCredentials
// says what IMDS answered (nothing), through the real client's transport error.
TEST_F(AwsCredentialEndpointTest, UnreachableMetadataEndpointIsListedAsTried) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const auto error = error_of(*chain(
      {{"HOME", home_.path()}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"}}));
  EXPECT_EQ(error.code(), "NoCredentials");
  EXPECT_NE(error.message().find("EC2 instance role ("), std::string::npos) << error.message();
}

// Requirement 2: credential_process runs a real program (found by its path with a space,
// quoted, as shlex would split it) whose Version 1 JSON holds keys the endpoint accepts.
TEST_F(AwsCredentialEndpointTest, CredentialProcessKeysAreAcceptedByTheEndpoint) {
  const auto script = home_.write(
      "cred helper/print-creds.sh",
      std::string("#!/bin/sh\n"
                  "# Refuses unless the argument arrived as one word: proves argv splitting.\n"
                  "[ \"$1\" = \"--for deployer\" ] || { echo \"bad args: $*\" >&2; exit 3; }\n"
                  "cat <<'EOF'\n"
                  "{\"Version\": 1, \"AccessKeyId\": \"") +
          FakeAws::kAccessKey + "\", \"SecretAccessKey\": \"" + FakeAws::kSecretKey + "\"}\nEOF\n",
      true);
  home_.write(".aws/config",
              "[profile helper]\ncredential_process = \"" + script + "\" '--for deployer'\n");
  Env env = home_env();
  env["AWS_PROFILE"] = "helper";

  const auto credentials = get(*chain(env));
  EXPECT_EQ(credentials.access_key_id, FakeAws::kAccessKey);
  EXPECT_EQ(credentials.secret_access_key, FakeAws::kSecretKey);
  EXPECT_EQ(accepted_arn(credentials),
            std::string("arn:aws:iam::") + kAccount + ":user/drover-test");
}

// A helper that fails after printing the secret: the error names the program and quotes its
// stderr, and never what it printed on stdout.
TEST_F(AwsCredentialEndpointTest, FailingCredentialProcessReportsStderrWithoutSecrets) {
  const auto script = home_.write(
      "bin/broken-creds.sh",
      std::string("#!/bin/sh\n"
                  "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDX\", \"SecretAccessKey\": \"") +
          FakeAws::kSecretKey +
          "\"}'\n"
          "echo 'token expired, run sso login' >&2\n"
          "exit 2\n",
      true);
  home_.write(".aws/config", "[default]\ncredential_process = " + script + "\n");

  const auto error = error_of(*chain(home_env()));
  EXPECT_EQ(error.code(), "CredentialProcess");
  EXPECT_NE(error.message().find("broken-creds.sh"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("exited with status 2"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("token expired, run sso login"), std::string::npos)
      << error.message();
}

// Requirement 3: role_arn + source_profile. STS (reached through AWS_ENDPOINT_URL_STS) gets a
// call signed with the source profile's keys; the temporary credentials it returns work only
// with their session token, which the signer carries.
TEST_F(AwsCredentialEndpointTest, AssumeRoleThroughTheEndpoint) {
  home_.write(".aws/credentials", std::string("[base]\naws_access_key_id = ") +
                                      FakeAws::kAccessKey +
                                      "\naws_secret_access_key = " + FakeAws::kSecretKey + "\n");
  home_.write(".aws/config", std::string("[profile deployer]\nrole_arn = ") + kRole +
                                 "\nsource_profile = base\nrole_session_name = drover-it\n");
  Env env = home_env();
  env["AWS_ENDPOINT_URL_STS"] = aws_.url();

  const auto credentials = get(*chain(env, "deployer"));
  EXPECT_EQ(credentials.access_key_id.rfind("ASIA", 0), 0u) << credentials.access_key_id;
  EXPECT_FALSE(credentials.session_token.empty());
  EXPECT_TRUE(credentials.expiration.has_value());
  EXPECT_EQ(accepted_arn(credentials),
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/drover-deployer/drover-it");

  // The same keys without their token are refused: the token really travelled above.
  auto without_token = credentials;
  without_token.session_token.clear();
  const auto refused = caller_identity(without_token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.code, "InvalidClientTokenId") << refused.body;

  // The endpoint saw AssumeRole under the source profile's key, then the call under the role's.
  const auto calls = aws_.calls();
  ASSERT_EQ(calls.size(), 3u) << calls.dump();
  EXPECT_EQ(calls[0]["operation"], "AssumeRole");
  EXPECT_EQ(calls[0]["status"], 200);
  EXPECT_EQ(calls[0]["access_key_id"], FakeAws::kAccessKey);
  EXPECT_EQ(calls[1]["operation"], "GetCallerIdentity");
  EXPECT_EQ(calls[1]["status"], 200);
  EXPECT_EQ(calls[1]["access_key_id"], credentials.access_key_id);
  EXPECT_EQ(calls[2]["status"], 403);
}

// A role the endpoint does not allow: STS's AccessDenied comes back as such, naming the
// profile and the role (here reached through the generic AWS_ENDPOINT_URL), with no secret.
TEST_F(AwsCredentialEndpointTest, AssumeRoleAccessDeniedIsReportedClearly) {
  home_.write(".aws/credentials", std::string("[base]\naws_access_key_id = ") +
                                      FakeAws::kAccessKey +
                                      "\naws_secret_access_key = " + FakeAws::kSecretKey + "\n");
  home_.write(".aws/config", std::string("[profile forbidden]\nrole_arn = ") + kForbiddenRole +
                                 "\nsource_profile = base\n");
  Env env = home_env();
  env["AWS_ENDPOINT_URL"] = aws_.url();
  env["AWS_PROFILE"] = "forbidden";

  const auto error = error_of(*chain(env));
  EXPECT_EQ(error.code(), "AccessDenied") << error.message();
  EXPECT_NE(error.message().find(kForbiddenRole), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("forbidden"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("not authorized"), std::string::npos) << error.message();

  const auto calls = aws_.calls();
  ASSERT_EQ(calls.size(), 1u) << calls.dump();
  EXPECT_EQ(calls[0]["operation"], "AssumeRole");
  EXPECT_EQ(calls[0]["status"], 403);
  EXPECT_EQ(calls[0]["error"], "AccessDenied");
}

// Requirement 4: IMDSv2 only. The endpoint answers GETs only with a session token, so
// credentials at all prove the PUT happened; the request log shows it came first.
TEST_F(AwsCredentialEndpointTest, ImdsV2CredentialsThroughTheEndpoint) {
  Env env = home_env();
  env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = aws_.url();

  const auto credentials = get(*chain(env));
  EXPECT_EQ(credentials.source, std::string("EC2 instance role ") + kImdsRole);
  EXPECT_EQ(credentials.access_key_id.rfind("ASIA", 0), 0u) << credentials.access_key_id;
  EXPECT_TRUE(credentials.expiration.has_value());
  EXPECT_EQ(accepted_arn(credentials),
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + kImdsRole + "/imds");

  const auto requests = log_lines_with(aws_.log(), "/latest/");
  ASSERT_GE(requests.size(), 3u) << aws_.log();
  EXPECT_NE(requests[0].find("PUT /latest/api/token"), std::string::npos) << aws_.log();
  EXPECT_NE(requests[0].find(" 200 "), std::string::npos) << aws_.log();
  bool listed_role = false;
  bool fetched_role = false;
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_NE(requests[i].find("\"GET /latest/meta-data/iam/security-credentials/"),
              std::string::npos)
        << requests[i];
    EXPECT_NE(requests[i].find(" 200 "), std::string::npos) << requests[i];
    listed_role |= requests[i].find("security-credentials/ HTTP") != std::string::npos;
    fetched_role |=
        requests[i].find(std::string("security-credentials/") + kImdsRole) != std::string::npos;
  }
  EXPECT_TRUE(listed_role) << aws_.log();
  EXPECT_TRUE(fetched_role) << aws_.log();
}

// A wrong container token: the endpoint's 403 is reported with the URL, without the token.
TEST_F(AwsCredentialEndpointTest, WrongContainerTokenIsReportedWithoutTheToken) {
  const std::string wrong_token = "wrong-container-token-9876543210";
  secrets_.push_back(wrong_token);
  Env env = home_env();
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container_url();
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = wrong_token;

  const auto error = error_of(*chain(env));
  EXPECT_EQ(error.code(), "ContainerCredentials") << error.message();
  EXPECT_NE(error.message().find(container_url()), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("403"), std::string::npos) << error.message();
}

// Requirement 5, within the margin: credentials that live less than the chain's refresh margin
// (5 minutes) are fetched again at every get(), without waiting for them to expire. The
// endpoint re-issues metadata credentials with less than 5 minutes left, so each is new.
TEST_F(AwsCredentialEndpointTest, CredentialsInsideTheRefreshMarginAreFetchedAgain) {
  aws_.set_config({{"credential_ttl_seconds", 120}});
  Env env = home_env();
  env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = aws_.url();
  const auto provider = chain(env);

  const auto first = get(*provider);
  const auto second = get(*provider);
  EXPECT_NE(first.access_key_id, second.access_key_id);
  EXPECT_EQ(accepted_arn(first),
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + kImdsRole + "/imds");
  EXPECT_EQ(accepted_arn(second),
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + kImdsRole + "/imds");
}

// Requirement 5, after expiry: --credential-ttl makes the container credentials expire in a
// few seconds. Once they have, the endpoint refuses them and the chain's next get() fetches
// new ones that work; those (issued with a normal lifetime) are then held, not refetched.
class AwsCredentialEndpointShortTtlTest : public AwsCredentialEndpointTest {
 protected:
  AwsCredentialEndpointShortTtlTest() : AwsCredentialEndpointTest(short_ttl()) {}

  static FakeAwsOptions short_ttl() {
    FakeAwsOptions options;
    options.extra_args = {"--credential-ttl", "3"};
    return options;
  }
};

TEST_F(AwsCredentialEndpointShortTtlTest, ExpiredCredentialsAreRefreshed) {
  Env env = home_env();
  env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = container_url();
  env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = kContainerToken;
  // A margin below the TTL, so the short-lived credentials are used rather than refetched.
  const auto provider = chain(env, std::nullopt, std::chrono::seconds(1));

  const auto first = get(*provider);
  ASSERT_TRUE(first.expiration.has_value());
  // Checked at once: they only live three seconds.
  const auto fresh = caller_identity(first);
  EXPECT_EQ(fresh.status, 200) << fresh.body;

  // The next credentials the endpoint issues live an hour, so that what follows does not race
  // their expiry on a loaded machine.
  aws_.set_config({{"credential_ttl_seconds", 3600}});
  // The Expiration on the wire has whole seconds and the endpoint's is fractional: one more
  // second makes sure the endpoint too considers them expired. At most about four seconds.
  std::this_thread::sleep_until(*first.expiration + std::chrono::seconds(1));
  const auto expired = caller_identity(first);
  EXPECT_EQ(expired.status, 403) << expired.body;
  EXPECT_EQ(expired.code, "ExpiredToken") << expired.body;

  const auto second = get(*provider);
  EXPECT_NE(second.access_key_id, first.access_key_id);
  EXPECT_NE(second.session_token, first.session_token);
  EXPECT_EQ(accepted_arn(second),
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/" + kImdsRole + "/container");

  // Fresh credentials are held: a third get() does not ask the endpoint again.
  const auto fetches = log_lines_with(aws_.log(), "GET /container-credentials/x").size();
  EXPECT_EQ(fetches, 2u) << aws_.log();
  const auto third = get(*provider);
  EXPECT_EQ(third.access_key_id, second.access_key_id);
  EXPECT_EQ(log_lines_with(aws_.log(), "GET /container-credentials/x").size(), fetches)
      << aws_.log();
}

}  // namespace
}  // namespace drover::aws
