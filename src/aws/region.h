#pragma once
// Which AWS region drover talks to, first found of:
//   1. --region (explicit)
//   2. $AWS_REGION
//   3. $AWS_DEFAULT_REGION
//   4. `region` of the chosen profile (--profile, else $AWS_PROFILE, else default) in
//      ~/.aws/config (or ~/.aws/credentials, which the CLI merges into the profile)
//   5. drover.toml's [fleet] region
//   6. eu-west-1, the operator guide's region
// The region becomes part of host names and signatures, so it is checked to look like one.
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"

namespace drover::aws {

inline constexpr const char* kDefaultRegion = "eu-west-1";

struct RegionInputs {
  std::optional<std::string> explicit_region;  // --region
  std::optional<std::string> profile;          // --profile
  std::optional<std::string> fleet_region;     // drover.toml [fleet] region
  EnvLookup env = process_env;                 // also HOME, AWS_CONFIG_FILE, AWS_PROFILE
};

struct ResolvedRegion {
  std::string name;    // "eu-west-1"
  std::string source;  // for messages: "--region", "$AWS_REGION", "profile prod in
                       // /home/op/.aws/config", "drover.toml [fleet] region", "default"
};

/// Empty values count as unset. Throws AwsError("InvalidRegion") naming the source when the
/// first value found is not a region name (no fall-through: a typo must not silently send
/// drover elsewhere). A profile that does not exist contributes nothing here; the credential
/// chain reports it.
ResolvedRegion resolve_region(const RegionInputs& inputs);

/// Two lower-case letters, one or more "-word" parts of lower-case letters, then "-" and
/// digits: eu-west-1, us-gov-west-1, ap-southeast-2, cn-north-1.
bool is_valid_region(std::string_view region);

}  // namespace drover::aws
