#pragma once
// Amazon ECR private registries are named <account>.dkr.ecr.<region>.amazonaws.com (".com.cn"
// in China; "dkr-ecr" and "ecr-fips" variants exist). drover recognises them so that, with no
// credential helper configured, it can ask ECR itself for a token (GetAuthorizationToken).
#include <optional>
#include <string>
#include <string_view>

namespace drover::registry {

struct EcrRegistry {
  std::string account;  // 12 digits
  std::string region;   // "eu-west-1"
};

/// The account and region of an ECR registry domain (host, optionally ":port"); nullopt for
/// any other registry.
std::optional<EcrRegistry> parse_ecr_registry(std::string_view domain);

/// ECR's authorization token (base64 of "AWS:<password>") as user name and password; nullopt
/// when it is not of that form.
struct EcrLogin {
  std::string username;
  std::string password;
};
std::optional<EcrLogin> decode_ecr_token(std::string_view token);

}  // namespace drover::registry
