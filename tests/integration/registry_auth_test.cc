// Private registries end to end (issue 12) against the authenticated docker-registry of
// scripts/test-services.sh (htpasswd on 127.0.0.1:5001): drover pins the digest with the
// operator's Docker client config, the agent pulls with X-Registry-Auth built from the host's,
// credential helpers run as processes, a wrong password or a host without credentials is
// refused with nothing touched, `drover baseline` checks each host's access, ECR tokens from
// the local AWS endpoint are accepted by the registry, and no secret reaches any output or
// file. Also issue 13's digest check: a digest the registry does not have is exit 2.
// Bot ids 8790-8799.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/aws/connect.h"
#include "cli/registry/operator_credentials.h"
#include "cli/registry/registry_digest.h"
#include "core/image_reference.h"
#include "core/input_error.h"
#include "registry/ecr_registry.h"
#include "support/auth_registry.h"
#include "support/drover_fleet.h"
#include "support/fake_aws.h"
#include "support/test_env.h"
#include "util/clock.h"
#include "util/http/curl_http_client.h"
#include "util/random.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;
using core::parse_image_reference;

class RegistryAuthIT : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!auth_registry_running()) {
      GTEST_SKIP() << "no authenticated registry at " << auth_registry()
                   << " (scripts/test-services.sh starts it)";
    }
  }

  // The registry's digest for `tag`, asked with the test credentials.
  std::string digest_of(const std::string& tag) {
    CurlHttpClient http;
    auto credentials = [](const core::ImageReference&) {
      registry::RegistryCredentials c;
      c.username = kAuthUser;
      c.password = kAuthPassword;
      c.source = "the test";
      return std::optional(c);
    };
    return cli::resolve_digest(parse_image_reference(auth_image(tag)), http, credentials);
  }
};

// The InputError message of a lookup that must be refused.
std::string refusal(const std::string& image, const cli::RegistryCredentialsSource& source) {
  CurlHttpClient http;
  try {
    cli::resolve_digest(parse_image_reference(image), http, source);
  } catch (const core::InputError& e) {
    return e.problem() + " (" + e.fix() + ")";
  }
  ADD_FAILURE() << image << " resolved";
  return "";
}

TEST_F(RegistryAuthIT, DigestLookupAuthenticatesAndRefusesClearly) {
  const auto digest = digest_of("v1");
  EXPECT_TRUE(core::is_sha256_digest(digest)) << digest;
  EXPECT_NE(digest, digest_of("v2"));

  const auto none = refusal(auth_image("v1"), cli::no_registry_credentials);
  EXPECT_NE(none.find("registry " + auth_registry() + " wants credentials and drover found none"),
            std::string::npos)
      << none;
  EXPECT_NE(none.find("docker login " + auth_registry()), std::string::npos) << none;

  const auto wrong = refusal(auth_image("v1"), [](const core::ImageReference&) {
    registry::RegistryCredentials c;
    c.username = kAuthUser;
    c.password = "not-the-password";
    c.source = "auths in /test/config.json";
    return std::optional(c);
  });
  EXPECT_NE(wrong.find("refused the credentials from auths in /test/config.json"),
            std::string::npos)
      << wrong;
  EXPECT_EQ(wrong.find("not-the-password"), std::string::npos) << wrong;

  // Issue 13: a digest is checked, not trusted.
  const auto pinned = parse_image_reference(auth_registry() + "/drover-test/bot@" + digest);
  CurlHttpClient http;
  EXPECT_EQ(
      cli::resolve_digest(pinned, http,
                          [](const core::ImageReference&) {
                            registry::RegistryCredentials c{kAuthUser, kAuthPassword, "", "t"};
                            return std::optional(c);
                          }),
      digest);
}

// ECR through the local AWS endpoint: GetAuthorizationToken, SigV4-verified, hands a token
// whose user and password the authenticated registry accepts.
TEST_F(RegistryAuthIT, EcrTokenFromTheLocalAwsEndpointIsAcceptedByTheRegistry) {
  FakeAwsOptions options;
  options.extra_args = {"--ecr-password", kEcrPassword};
  FakeAws aws(options);
  auto env = aws.env();
  cli::EnvLookup lookup = [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  SteadyClock clock;
  SystemRandom random;
  PosixProcessRunner runner;
  CurlHttpClient http;
  auto connect = cli::real_aws_connect(lookup, clock, random, runner, http);
  const registry::EcrRegistry ecr{"123456789012", "eu-central-1"};
  cli::AwsSettings settings;
  settings.region_flag = ecr.region;
  const auto answer =
      connect(settings).ecr("GetAuthorizationToken", {{"registryIds", {ecr.account}}});
  const auto image = parse_image_reference(auth_image("v1"));
  const auto credentials = cli::ecr_credentials_from(answer, image);
  EXPECT_EQ(credentials.username, "AWS");

  const auto digest = cli::resolve_digest(
      image, http, [&](const core::ImageReference&) { return std::optional(credentials); });
  EXPECT_EQ(digest, digest_of("v1"));
  const auto calls = aws.calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back()["service"], "ecr");
  EXPECT_EQ(calls.back()["operation"], "GetAuthorizationToken");
  EXPECT_EQ(calls.back()["region"], "eu-central-1");
  EXPECT_EQ(calls.back()["status"], 200);
  EXPECT_EQ(aws.log().find(kEcrPassword), std::string::npos) << "the endpoint logged the token";
}

// The secret appears nowhere: not in drover's output, not in the agents' (their stderr is
// drover's), not in the state directory (journals, lock), not in the containers' configs.
void expect_no_secret(const DroverFleet& fleet, const DroverRun& run, const std::string& secret) {
  EXPECT_EQ(run.out.find(secret), std::string::npos) << "stdout holds the password";
  EXPECT_EQ(run.err.find(secret), std::string::npos) << "stderr holds the password";
  const auto files = files_containing(fleet.state_dir(), secret);
  EXPECT_TRUE(files.empty()) << "the state directory holds the password: " << files.front();
}

TEST_F(RegistryAuthIT, DeployThroughTheAuthenticatedRegistryPinsPullsAndKeepsTheSecret) {
  DroverFleet fleet(DROVER_BIN, "e2e-auth", {{"auth-host-1", {8790, 8791}}});
  fleet.run_all("v1");
  const auto config =
      write_docker_config(fleet.dir() / "docker", auths_config(kAuthUser, kAuthPassword));
  fleet.set_env("DOCKER_CONFIG", config.string());  // drover's, and the agents' (local transport)

  auto run =
      fleet.drover({"deploy", "all", "routine", auth_image("v2"), "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.all();
  const auto digest = digest_of("v2");
  EXPECT_NE(run.out.find(digest), std::string::npos) << "the plan does not show the pinned digest\n"
                                                     << run.out;
  for (int id : fleet.all_bots()) {
    EXPECT_EQ(fleet.version(id), "v2") << "bot" << id;
    EXPECT_EQ(fleet.bot(id).image_ref, auth_registry() + "/drover-test/bot@" + digest);
  }
  expect_no_secret(fleet, run, kAuthPassword);
  for (int id : fleet.all_bots()) {
    EXPECT_EQ(fleet.bot(id).config.dump().find(kAuthPassword), std::string::npos);
  }
}

TEST_F(RegistryAuthIT, CredentialHelperServesDroverAndTheAgentsThroughTheProtocol) {
  DroverFleet fleet(DROVER_BIN, "e2e-auth-helper", {{"auth-host-2", {8792}}});
  fleet.run_all("v1");
  const auto config = write_docker_config(fleet.dir() / "docker", helper_config());
  const auto store = fleet.write_file(
      "helper-store.json", "{\"" + auth_registry() + "\": {\"Username\": \"" + kAuthUser +
                               "\", \"Secret\": \"" + kAuthPassword + "\"}}");
  const auto log = fleet.dir() / "helper.log";
  fleet.set_env("DOCKER_CONFIG", config.string());
  fleet.set_env("DROVER_TEST_HELPER_STORE", store);
  fleet.set_env("DROVER_TEST_HELPER_LOG", log.string());
  fleet.set_env("PATH", helper_dir() + ":" + std::getenv("PATH"));

  auto run =
      fleet.drover({"deploy", "all", "routine", auth_image("v2"), "-y", "--straggler-wait", "3"});

  ASSERT_EQ(run.exit_code, 0) << run.all();
  EXPECT_EQ(fleet.version(8792), "v2");
  std::ifstream file(log);
  std::string calls((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // drover's digest lookup, then the agent's pull: each ran `docker-credential-drover-test get`.
  EXPECT_GE(std::count(calls.begin(), calls.end(), '\n'), 2) << calls;
  EXPECT_NE(calls.find("get " + auth_registry() + "\n"), std::string::npos) << calls;
  expect_no_secret(fleet, run, kAuthPassword);
}

TEST_F(RegistryAuthIT, WrongPasswordIsOneLineAndNoBotIsTouched) {
  DroverFleet fleet(DROVER_BIN, "e2e-auth-wrong", {{"auth-host-3", {8793}}});
  fleet.run_all("v1");
  const auto before = fleet.bot(8793);
  const auto config =
      write_docker_config(fleet.dir() / "docker", auths_config(kAuthUser, "wrong-Pw-0"));
  fleet.set_env("DOCKER_CONFIG", config.string());

  auto run = fleet.drover({"deploy", "all", "routine", auth_image("v2"), "-y"});

  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(
      run.err.find("drover: error: image " + auth_image("v2") + ": registry " + auth_registry() +
                   " refused the credentials from auths in " + config.string() + "/config.json"),
      std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("wrong-Pw-0"), std::string::npos);
  const auto now = fleet.bot(8793);
  EXPECT_EQ(now.id, before.id);
  EXPECT_EQ(now.state.started_at, before.state.started_at);
  EXPECT_TRUE(fleet.journal_files().empty()) << "a refused deploy wrote a journal";
}

TEST_F(RegistryAuthIT, HostWithoutCredentialsFailsBeforeAnyBotStopsAndSaysSo) {
  DroverFleet fleet(DROVER_BIN, "e2e-auth-host", {{"auth-host-4", {8794, 8795}}});
  fleet.run_all("v1");
  const auto before = fleet.snapshot();
  const auto operator_config =
      write_docker_config(fleet.dir() / "operator", auths_config(kAuthUser, kAuthPassword));
  const auto host_config = write_docker_config(fleet.dir() / "host", "{}");
  fleet.set_env("DOCKER_CONFIG", operator_config.string());
  fleet.set_env("DROVER_AGENT_DOCKER_CONFIG", host_config.string());

  // :private, whose digest only the authenticated registry has: the engine serves a pull by
  // digest it already holds from its cache without asking the registry (v1 and v2 are on the
  // open registry too), and that pull needs no credentials.
  auto run = fleet.drover(
      {"deploy", "all", "routine", auth_image("private"), "-y", "--straggler-wait", "1"});

  EXPECT_NE(run.exit_code, 0) << run.all();
  EXPECT_NE(run.all().find("registry " + auth_registry() +
                           " wants credentials and this host has none for it in " +
                           host_config.string() + "/config.json"),
            std::string::npos)
      << run.all();
  EXPECT_NE(run.all().find("no bot was touched"), std::string::npos) << run.all();
  for (const auto& [id, info] : before) {
    const auto now = fleet.bot(id);
    EXPECT_EQ(now.id, info.id) << "bot" << id << " was replaced";
    EXPECT_EQ(now.state.started_at, info.state.started_at) << "bot" << id << " was restarted";
  }
  expect_no_secret(fleet, run, kAuthPassword);
}

TEST_F(RegistryAuthIT, BaselineChecksEachHostsOwnRegistryCredentials) {
  DroverFleet fleet(DROVER_BIN, "e2e-auth-baseline", {{"auth-host-5", {8796}}});
  auto config_text = fleet.config_text();
  const std::string from = "image = \"" + registry() + "/drover-test/bot\"";
  config_text.replace(config_text.find(from), from.size(),
                      "image = \"" + auth_registry() + "/drover-test/bot\"");
  const auto toml = fleet.write_file("auth.toml", config_text);
  const auto empty = write_docker_config(fleet.dir() / "host-empty", "{}");
  const auto good =
      write_docker_config(fleet.dir() / "host-good", auths_config(kAuthUser, kAuthPassword));

  fleet.set_env("DROVER_AGENT_DOCKER_CONFIG", empty.string());
  auto refused = fleet.drover({"baseline"}, toml);
  EXPECT_EQ(refused.exit_code, 8) << refused.all();
  EXPECT_NE(refused.out.find("registry"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("no credentials"), std::string::npos) << refused.out;
  EXPECT_NE(
      refused.out.find("auth-host-5: registry: registry " + auth_registry() +
                       " wants credentials and this host has none for it in " + empty.string() +
                       "/config.json (run `docker login " + auth_registry() + "`"),
      std::string::npos)
      << refused.out;

  fleet.set_env("DROVER_AGENT_DOCKER_CONFIG", good.string());
  auto accepted = fleet.drover({"baseline"}, toml);
  EXPECT_NE(accepted.out.find("accepted"), std::string::npos) << accepted.out;
  EXPECT_EQ(accepted.out.find("auth-host-5: registry:"), std::string::npos) << accepted.out;
  EXPECT_EQ(accepted.all().find(kAuthPassword), std::string::npos);
}

// Issue 13: a well-formed digest the registry does not have is refused at plan time.
TEST(RegistryDigestCheckIT, AbsentDigestIsExitTwoWithNothingTouched) {
  DroverFleet fleet(DROVER_BIN, "e2e-absent-digest", {{"digest-host-1", {8797}}});
  fleet.run_all("v1");
  const auto before = fleet.bot(8797);
  const std::string absent = registry() + "/drover-test/bot@sha256:" + std::string(64, 'e');

  auto run = fleet.drover({"deploy", "all", "routine", absent, "-y"});

  EXPECT_EQ(run.exit_code, 2) << run.all();
  EXPECT_NE(run.err.find("digest sha256:" + std::string(64, 'e') + " does not exist in " +
                         registry() + "/drover-test/bot"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.out.find("deploy plan"), std::string::npos) << "the plan was shown\n" << run.out;
  EXPECT_EQ(fleet.bot(8797).id, before.id);
  EXPECT_TRUE(fleet.journal_files().empty());
  EXPECT_FALSE(fs::exists(fleet.lock_file()));
}

}  // namespace
}  // namespace drover::testing
