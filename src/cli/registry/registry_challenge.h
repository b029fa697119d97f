#pragma once
// The challenge a registry sends with 401 (RFC 7235 WWW-Authenticate, as the distribution
// spec's token flow uses it): `Basic realm="…"`, or `Bearer realm="https://auth…/token",
// service="registry.example.com",scope="repository:team/bot:pull"`.
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

struct RegistryChallenge {
  enum class Scheme { basic, bearer };
  Scheme scheme = Scheme::basic;
  std::string realm;    // Bearer: the token endpoint's URL
  std::string service;  // Bearer: the service the token is for (may be empty)
  std::string scope;    // Bearer: what the registry asked for (may be empty)
};

/// The first Basic or Bearer challenge in a WWW-Authenticate value (scheme names are
/// case-insensitive; parameter values quoted or bare, with backslash escapes); nullopt when
/// there is none, or a Bearer challenge has no realm.
std::optional<RegistryChallenge> parse_registry_challenge(std::string_view header);

}  // namespace drover::cli
