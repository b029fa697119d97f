#include "registry/registry_auth_header.h"

#include <nlohmann/json.hpp>

#include "util/base64.h"

namespace drover::registry {

std::string registry_auth_header(const RegistryCredentials& credentials,
                                 const std::string& server_address) {
  nlohmann::json body = {{"serveraddress", server_address}};
  if (!credentials.identity_token.empty()) {
    body["identitytoken"] = credentials.identity_token;
  } else {
    body["username"] = credentials.username;
    body["password"] = credentials.password;
  }
  return base64url_encode(body.dump());
}

}  // namespace drover::registry
