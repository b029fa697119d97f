#include "registry/ecr_registry.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "util/base64.h"

namespace drover::registry {

std::optional<EcrRegistry> parse_ecr_registry(std::string_view domain) {
  std::string host(domain.substr(0, domain.find(':')));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // The pattern the ECR credential helper itself uses (amazon-ecr-credential-helper's
  // api/registry.go), for the commercial and China partitions.
  static const std::regex kEcr(
      R"(^(\d{12})\.dkr[.\-]ecr(-fips)?\.([a-z0-9][a-z0-9\-]*)\.amazonaws\.com(\.cn)?$)");
  std::smatch match;
  if (!std::regex_match(host, match, kEcr)) return std::nullopt;
  return EcrRegistry{match[1].str(), match[3].str()};
}

std::optional<EcrLogin> decode_ecr_token(std::string_view token) {
  const auto decoded = base64_decode(token);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) {
    return std::nullopt;
  }
  return EcrLogin{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

}  // namespace drover::registry
