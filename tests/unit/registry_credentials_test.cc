// Registry credentials as the docker CLI finds them (src/registry): base64, config.json's
// auths/credsStore/credHelpers, the credential-helper protocol through a recording runner,
// the X-Registry-Auth value, Docker Hub's names and ECR registry names and tokens. No secret
// ever reaches an error message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/image_reference.h"
#include "registry/credential_helper.h"
#include "registry/credential_lookup.h"
#include "registry/ecr_registry.h"
#include "registry/registry_auth_header.h"
#include "support/recording_runner.h"
#include "util/base64.h"

namespace drover::registry {
namespace {

using core::parse_image_reference;
using testing::RecordingRunner;

ProcessResult helper_answer(int exit_code, std::string out) {
  ProcessResult result;
  result.exit_code = exit_code;
  result.out = std::move(out);
  return result;
}

TEST(Base64, RoundTripsAndAcceptsMissingPadding) {
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_encode("AWS:x"), "QVdTOng=");
  EXPECT_EQ(base64_decode("QVdTOng="), "AWS:x");
  EXPECT_EQ(base64_decode("QVdTOng"), "AWS:x");
  EXPECT_EQ(base64_decode(" dXNlcjpwYXNz\n"), "user:pass");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_FALSE(base64_decode("not base64!"));
  EXPECT_FALSE(base64_decode("QV=dTOng"));
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8=");
}

TEST(DockerConfig, ReadsAuthsHelpersAndStore) {
  const auto config = parse_docker_config(R"({
    "auths": {
      "127.0.0.1:5001": {"auth": "b3A6cHctMTpjb2xvbg=="},
      "ghcr.io": {"username": "bot", "password": "pat"},
      "https://index.docker.io/v1/": {"identitytoken": "refresh"},
      "broken": "not an object"
    },
    "credsStore": "desktop",
    "credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"},
    "psFormat": "ignored"
  })",
                                          "/home/op/.docker/config.json");
  EXPECT_EQ(config.path, "/home/op/.docker/config.json");
  ASSERT_EQ(config.auths.size(), 3u);
  EXPECT_EQ(config.auths.at("127.0.0.1:5001").username, "op");
  EXPECT_EQ(config.auths.at("127.0.0.1:5001").password, "pw-1:colon");
  EXPECT_EQ(config.auths.at("ghcr.io").password, "pat");
  EXPECT_EQ(config.auths.at("https://index.docker.io/v1/").identity_token, "refresh");
  EXPECT_EQ(config.creds_store, "desktop");
  EXPECT_EQ(config.cred_helpers.at("123456789012.dkr.ecr.eu-west-1.amazonaws.com"), "ecr-login");
}

TEST(DockerConfig, RefusesWhatIsNotAConfigWithoutShowingTheSecret) {
  try {
    parse_docker_config("[1]", "/c/config.json");
    ADD_FAILURE() << "accepted an array";
  } catch (const RegistryAuthError& e) {
    EXPECT_NE(std::string(e.what()).find("/c/config.json is not a JSON object"), std::string::npos);
  }
  try {
    parse_docker_config(R"({"auths": {"r": {"auth": "c2VjcmV0LW5vLWNvbG9u"}}})", "/c/config.json");
    ADD_FAILURE() << "accepted an auth without a colon";
  } catch (const RegistryAuthError& e) {
    EXPECT_NE(std::string(e.what()).find("auths[\"r\"].auth"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("c2VjcmV0"), std::string::npos) << e.what();
  }
}

TEST(DockerConfig, DirectoryFollowsTheDockerCli) {
  EXPECT_EQ(docker_config_dir(std::string("/etc/drover/docker"), std::string("/root"), "/x"),
            "/etc/drover/docker");
  EXPECT_EQ(docker_config_dir(std::nullopt, std::string("/home/op"), "/x"), "/home/op/.docker");
  EXPECT_EQ(docker_config_dir(std::string(""), std::nullopt, "/root"), "/root/.docker");
}

TEST(RegistryNames, DockerHubHasItsOwnKeyAndLibraryNamespace) {
  EXPECT_EQ(credential_key(parse_image_reference("nginx:1")), "https://index.docker.io/v1/");
  EXPECT_EQ(credential_key(parse_image_reference("docker.io/team/bot:1")),
            "https://index.docker.io/v1/");
  EXPECT_EQ(credential_key(parse_image_reference("127.0.0.1:5001/bot:1")), "127.0.0.1:5001");
  EXPECT_EQ(repository_path(parse_image_reference("nginx:1")), "library/nginx");
  EXPECT_EQ(repository_path(parse_image_reference("ghcr.io/team/bot:1")), "team/bot");
  EXPECT_EQ(registry_display_name(parse_image_reference("nginx")), "Docker Hub");
  EXPECT_EQ(auths_key_host("https://registry.example.com/v1/"), "registry.example.com");
  EXPECT_EQ(auths_key_host("registry.example.com:5000"), "registry.example.com:5000");
}

TEST(CredentialLookup, HelperForTheRegistryWinsOverTheStore) {
  DockerConfig config;
  config.creds_store = "desktop";
  config.cred_helpers["ghcr.io"] = "gh";
  EXPECT_EQ(credential_source(config, "ghcr.io").helper, "gh");
  EXPECT_EQ(credential_source(config, "quay.io").helper, "desktop");
  config.auths["https://quay.io/v1/"] = {"u", "p", ""};
  EXPECT_TRUE(credential_source(config, "quay.io").inline_auth);
}

TEST(CredentialLookup, RunsTheHelperByArgvWithTheRegistryOnStdin) {
  DockerConfig config;
  config.cred_helpers["127.0.0.1:5001"] = "drover-test";
  RecordingRunner runner;
  runner.answers = {
      helper_answer(0, R"({"ServerURL":"127.0.0.1:5001","Username":"op","Secret":"pw"})")};
  auto found = find_credentials(config, parse_image_reference("127.0.0.1:5001/bot:v1"), runner);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "op");
  EXPECT_EQ(found->password, "pw");
  EXPECT_EQ(found->source, "docker-credential-drover-test");
  ASSERT_EQ(runner.calls().size(), 1u);
  EXPECT_EQ(runner.calls()[0].argv,
            (std::vector<std::string>{"docker-credential-drover-test", "get"}));
  EXPECT_EQ(runner.calls()[0].options.stdin_data, "127.0.0.1:5001");
  EXPECT_TRUE(runner.calls()[0].options.timeout);
}

TEST(CredentialLookup, TokenUserMeansAnIdentityToken) {
  RecordingRunner runner;
  runner.answers = {helper_answer(0, R"({"ServerURL":"r","Username":"<token>","Secret":"rt"})")};
  auto found = run_credential_helper(runner, "desktop", "r");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->identity_token, "rt");
  EXPECT_EQ(found->username, "");
}

TEST(CredentialLookup, HelperWithoutCredentialsFallsBackToAuths) {
  DockerConfig config;
  config.path = "/c/config.json";
  config.creds_store = "desktop";
  config.auths["127.0.0.1:5001"] = {"op", "pw", ""};
  RecordingRunner runner;
  runner.answers = {helper_answer(1, "credentials not found in native keychain\n")};
  auto found = find_credentials(config, parse_image_reference("127.0.0.1:5001/bot"), runner);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->source, "auths in /c/config.json");

  DockerConfig empty;
  EXPECT_FALSE(find_credentials(empty, parse_image_reference("127.0.0.1:5001/bot"), runner));
}

TEST(CredentialLookup, HelperFailuresNameTheHelperAndNeverItsAnswer) {
  RecordingRunner missing;
  missing.cannot_start = true;
  try {
    run_credential_helper(missing, "ecr-login", "r.example.com");
    ADD_FAILURE();
  } catch (const RegistryAuthError& e) {
    EXPECT_NE(
        std::string(e.what()).find("docker-credential-ecr-login for r.example.com cannot be run"),
        std::string::npos)
        << e.what();
  }
  RecordingRunner failing;
  auto failed = helper_answer(1, "");
  failed.err = "no EC2 IMDS role found\n";
  failing.answers = {failed};
  try {
    run_credential_helper(failing, "ecr-login", "r.example.com");
    ADD_FAILURE();
  } catch (const RegistryAuthError& e) {
    EXPECT_NE(std::string(e.what()).find("failed for r.example.com: no EC2 IMDS role found"),
              std::string::npos)
        << e.what();
  }
  RecordingRunner garbled;
  garbled.answers = {helper_answer(0, "Secret: hunter2")};
  try {
    run_credential_helper(garbled, "x", "r");
    ADD_FAILURE();
  } catch (const RegistryAuthError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

TEST(RegistryAuthHeader, IsBase64UrlOfTheEngineApisJson) {
  RegistryCredentials credentials;
  credentials.username = "op";
  credentials.password = "p?>?";
  const auto value = registry_auth_header(credentials, "127.0.0.1:5001");
  EXPECT_EQ(value.find_first_of("+/"), std::string::npos) << value;
  std::string standard = value;
  for (char& c : standard) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  const auto body = nlohmann::json::parse(*base64_decode(standard));
  EXPECT_EQ(body["username"], "op");
  EXPECT_EQ(body["password"], "p?>?");
  EXPECT_EQ(body["serveraddress"], "127.0.0.1:5001");

  RegistryCredentials token;
  token.identity_token = "rt";
  const auto token_body = nlohmann::json::parse(
      *base64_decode(registry_auth_header(token, "https://index.docker.io/v1/")));
  EXPECT_EQ(token_body["identitytoken"], "rt");
  EXPECT_FALSE(token_body.contains("password"));
}

TEST(EcrRegistry, RecognisesEcrNamesOnly) {
  auto ecr = parse_ecr_registry("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  ASSERT_TRUE(ecr);
  EXPECT_EQ(ecr->account, "123456789012");
  EXPECT_EQ(ecr->region, "eu-west-1");
  EXPECT_TRUE(parse_ecr_registry("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"));
  EXPECT_TRUE(parse_ecr_registry("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com"));
  EXPECT_TRUE(parse_ecr_registry("123456789012.dkr.ecr.us-east-1.amazonaws.com:443"));
  EXPECT_FALSE(parse_ecr_registry("12345678901.dkr.ecr.eu-west-1.amazonaws.com"));
  EXPECT_FALSE(parse_ecr_registry("public.ecr.aws"));
  EXPECT_FALSE(parse_ecr_registry("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example"));
  EXPECT_FALSE(parse_ecr_registry("127.0.0.1:5001"));
}

TEST(EcrRegistry, TokensAreBase64OfUserAndPassword) {
  auto login = decode_ecr_token(base64_encode("AWS:eyJwYXlsb2FkIjoi"));
  ASSERT_TRUE(login);
  EXPECT_EQ(login->username, "AWS");
  EXPECT_EQ(login->password, "eyJwYXlsb2FkIjoi");
  EXPECT_FALSE(decode_ecr_token(base64_encode("no-colon")));
  EXPECT_FALSE(decode_ecr_token("%%%"));
}

}  // namespace
}  // namespace drover::registry
