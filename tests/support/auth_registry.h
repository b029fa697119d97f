#pragma once
// The authenticated test registry that scripts/test-services.sh starts (docker-registry with
// htpasswd on 127.0.0.1:5001, holding drover-test/bot:v1 and :v2), its test credentials, and
// Docker client configs a test writes for drover and for the agents. The passwords are
// distinctive so that the secret tests can grep every output and file for them.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace drover::testing {

inline constexpr const char* kAuthUser = "drover-test";
inline constexpr const char* kAuthPassword = "Tst-Pw-5001-c0ffee42";
/// The password of user AWS, which the fake ECR endpoint puts into its tokens (--ecr-password).
inline constexpr const char* kEcrPassword = "Ecr-Tkn-5001-feed7b3a";

/// host:port of the authenticated registry (DROVER_TEST_AUTH_REGISTRY, default 127.0.0.1:5001).
std::string auth_registry();
/// "<auth registry>/drover-test/bot:<tag>".
std::string auth_image(const std::string& tag);
/// Whether the registry answers with 401 to an anonymous /v2/ (it runs and wants credentials).
bool auth_registry_running();

/// A Docker client config directory (DOCKER_CONFIG) under `dir`: config.json with exactly
/// `json` as its text. Returns the directory.
std::filesystem::path write_docker_config(const std::filesystem::path& dir,
                                          const std::string& json);
/// config.json text whose auths hold `user`:`password` for the authenticated registry.
std::string auths_config(const std::string& user, const std::string& password);
/// config.json text naming the test helper (tests/support/docker-credential-drover-test) for
/// the authenticated registry in credHelpers.
std::string helper_config();
/// The directory holding docker-credential-drover-test, for PATH.
std::string helper_dir();

/// Every file under `dir` (recursively) whose content holds `needle`.
std::vector<std::string> files_containing(const std::filesystem::path& dir,
                                          const std::string& needle);

}  // namespace drover::testing
