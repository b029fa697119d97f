#include "cli/registry/registry_authorizer.h"

#include <nlohmann/json.hpp>

#include "core/input_error.h"
#include "registry/credential_lookup.h"
#include "registry/registry_names.h"
#include "util/base64.h"
#include "util/percent_encoding.h"

namespace drover::cli {
namespace {

[[noreturn]] void refuse(const core::ImageReference& image, std::string what, std::string fix) {
  throw core::InputError("image " + image.str(), std::move(what), std::move(fix));
}

std::string docker_config_hint() {
  return "$DOCKER_CONFIG/config.json or ~/.docker/config.json";
}

}  // namespace

std::optional<registry::RegistryCredentials> no_registry_credentials(const core::ImageReference&) {
  return std::nullopt;
}

void refuse_registry_credentials(const core::ImageReference& image,
                                 const std::optional<registry::RegistryCredentials>& credentials) {
  const std::string registry = registry::registry_display_name(image);
  if (!credentials) {
    refuse(image, "registry " + registry + " wants credentials and drover found none for it",
           registry::credentials_fix(image, docker_config_hint()));
  }
  refuse(image,
         "registry " + registry + " refused the credentials from " + credentials->source + " for " +
             image.repository(),
         "check them: " + registry::credentials_fix(image, docker_config_hint()));
}

RegistryAuthorizer::RegistryAuthorizer(HttpClient& http, RegistryCredentialsSource credentials,
                                       std::chrono::milliseconds timeout)
    : http_(http), source_(std::move(credentials)), timeout_(timeout) {}

const std::optional<registry::RegistryCredentials>& RegistryAuthorizer::credentials_for(
    const core::ImageReference& image) {
  if (!looked_up_) {
    looked_up_ = true;
    try {
      credentials_ = source_(image);
    } catch (const registry::RegistryAuthError& e) {
      refuse(image, e.what(),
             "fix the Docker client config (" + docker_config_hint() + ") or its helper");
    }
  }
  return credentials_;
}

std::string RegistryAuthorizer::authorization(const core::ImageReference& image,
                                              const RegistryChallenge& challenge) {
  const auto& credentials = credentials_for(image);
  if (challenge.scheme == RegistryChallenge::Scheme::basic) {
    if (!credentials || credentials->username.empty()) {
      refuse_registry_credentials(image, credentials);
    }
    return "Basic " + base64_encode(credentials->username + ":" + credentials->password);
  }
  return "Bearer " + bearer_token(image, challenge);
}

std::string RegistryAuthorizer::bearer_token(const core::ImageReference& image,
                                             const RegistryChallenge& challenge) {
  const auto& credentials = credentials_;
  // The scope the registry named, else the pull scope of this repository (Docker's choice).
  const std::string scope = challenge.scope.empty()
                                ? "repository:" + registry::repository_path(image) + ":pull"
                                : challenge.scope;
  HttpRequest request;
  request.timeout = timeout_;
  request.max_redirects = 5;
  request.headers = {{"User-Agent", "drover"}};
  if (credentials && !credentials->identity_token.empty()) {
    // An identity token is an OAuth2 refresh token: the spec's POST form.
    request.method = "POST";
    request.url = challenge.realm;
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body =
        "grant_type=refresh_token&client_id=drover&service=" + percent_encode(challenge.service) +
        "&scope=" + percent_encode(scope) +
        "&refresh_token=" + percent_encode(credentials->identity_token);
  } else {
    QueryString query;
    if (!challenge.service.empty()) query.add("service", challenge.service);
    query.add("scope", scope);
    request.url = challenge.realm + (challenge.realm.find('?') == std::string::npos
                                         ? query.str()
                                         : "&" + query.str().substr(1));
    if (credentials && !credentials->username.empty()) {
      request.headers.emplace_back(
          "Authorization",
          "Basic " + base64_encode(credentials->username + ":" + credentials->password));
    }
  }
  const HttpResponse response = http_.send(request);
  const std::string registry = registry::registry_display_name(image);
  if (response.status == 401 || response.status == 403) {
    refuse_registry_credentials(image, credentials);
  }
  if (response.status != 200) {
    refuse(image,
           "the token service of registry " + registry + " (" + challenge.realm + ") " +
               (response.status == 0 ? "did not answer: " + response.transport_error
                                     : "answered HTTP " + std::to_string(response.status)),
           "check that this machine can reach it and that the registry is healthy");
  }
  const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  for (const char* key : {"token", "access_token"}) {
    if (body.is_object() && body.contains(key) && body[key].is_string() &&
        !body[key].get<std::string>().empty()) {
      return body[key].get<std::string>();
    }
  }
  refuse(image, "the token service of registry " + registry + " sent no token",
         "check the registry's token service (" + challenge.realm + ")");
}

}  // namespace drover::cli
