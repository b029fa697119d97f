#include "cli/registry/operator_credentials.h"

#include <pwd.h>
#include <unistd.h>

#include "aws/aws_error.h"
#include "core/input_error.h"
#include "core/printable_text.h"
#include "registry/credential_lookup.h"

namespace drover::cli {
namespace {

// The home directory when HOME is unset, as the docker CLI falls back to the user database.
std::string passwd_home() {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
      found->pw_dir) {
    return found->pw_dir;
  }
  return "/";
}

std::string ecr_fix(const core::ImageReference& image) {
  return "give drover's AWS identity ecr:GetAuthorizationToken (AWS_PROFILE, --profile, [aws] "
         "profile), or set credHelpers {\"" +
         registry::credential_key(image) +
         "\": \"ecr-login\"} in the Docker client config and install "
         "amazon-ecr-credential-helper";
}

}  // namespace

registry::RegistryCredentials ecr_credentials_from(const nlohmann::json& answer,
                                                   const core::ImageReference& image) {
  const auto data = answer.find("authorizationData");
  if (data != answer.end() && data->is_array() && !data->empty() && (*data)[0].is_object()) {
    const auto token = (*data)[0].find("authorizationToken");
    if (token != (*data)[0].end() && token->is_string()) {
      if (auto login = registry::decode_ecr_token(token->get<std::string>())) {
        registry::RegistryCredentials credentials;
        credentials.username = login->username;
        credentials.password = login->password;
        credentials.source = "ECR GetAuthorizationToken";
        return credentials;
      }
    }
  }
  throw core::InputError("image " + image.str(),
                         "ECR GetAuthorizationToken answered without a usable authorization "
                         "token for registry " +
                             registry::registry_display_name(image),
                         ecr_fix(image));
}

RegistryCredentialsSource operator_registry_credentials(EnvLookup env, ProcessRunner& runner,
                                                        EcrTokenCall ecr) {
  return [env = std::move(env), &runner, ecr = std::move(ecr)](
             const core::ImageReference& image) -> std::optional<registry::RegistryCredentials> {
    const auto home = env("HOME");
    const auto dir = registry::docker_config_dir(env("DOCKER_CONFIG"), home,
                                                 home && !home->empty() ? *home : passwd_home());
    const auto config = registry::load_docker_config(dir);
    if (auto found = registry::find_credentials(config, image, runner)) return found;
    const auto ecr_registry = registry::parse_ecr_registry(image.domain);
    if (!ecr_registry) return std::nullopt;
    try {
      return ecr_credentials_from(ecr(*ecr_registry), image);
    } catch (const aws::AwsError& e) {
      throw core::InputError("image " + image.str(),
                             "ECR GetAuthorizationToken for registry " +
                                 registry::registry_display_name(image) +
                                 " failed: " + core::printable(e.code() + ": " + e.message()),
                             ecr_fix(image));
    }
  };
}

}  // namespace drover::cli
