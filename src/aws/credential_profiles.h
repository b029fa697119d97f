#pragma once
// The named profiles of ~/.aws/config and ~/.aws/credentials, merged the way the AWS CLI
// merges them. In the config file a profile is `[profile NAME]` (and the default one may be
// `[default]` or `[profile default]`); a bare `[NAME]` there is not a profile and the CLI
// ignores it. In the credentials file a profile is always a bare `[NAME]`. When both files set
// the same key for a profile, the credentials file wins.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"

namespace drover::aws {

struct ProfileFiles {
  std::string config_path;       // as resolved: $AWS_CONFIG_FILE or $HOME/.aws/config
  std::string credentials_path;  // $AWS_SHARED_CREDENTIALS_FILE or $HOME/.aws/credentials
  bool config_found = false;
  bool credentials_found = false;
  std::map<std::string, std::map<std::string, std::string>> profiles;  // name -> merged keys
  // Bare `[NAME]` sections of the config file, which the CLI does not read as profiles: an
  // operator who wrote one gets told to write `[profile NAME]` instead.
  std::vector<std::string> ignored_config_sections;

  const std::map<std::string, std::string>* find(const std::string& profile) const;
  /// "~/.aws/credentials and ~/.aws/config" style text for messages, with "(not found)" marks.
  std::string describe_paths() const;
};

/// The profile the operator chose: `flag` when given, else $AWS_PROFILE, else "default".
/// `explicit_choice` tells whether a missing profile is an error (named) or just absent.
struct ProfileChoice {
  std::string name;
  std::string how;  // "--profile", "$AWS_PROFILE", "default"
  bool explicit_choice = false;
};
ProfileChoice choose_profile(const std::optional<std::string>& flag, const EnvLookup& env);

/// Reads both files. `env` supplies HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
/// (a leading "~/" in the overrides is expanded against HOME, as the CLI does). Missing files
/// are not an error: there is simply no profile in them.
ProfileFiles load_profile_files(const EnvLookup& env);

/// The value of `name` in the environment, treating an empty value as unset (as the CLI does).
std::optional<std::string> env_value(const EnvLookup& env, const std::string& name);

}  // namespace drover::aws
