#include "aws/credential_profiles.h"

#include "aws/ini_file.h"

namespace drover::aws {
namespace {

constexpr std::string_view kProfilePrefix = "profile ";

std::string expand_home(const std::string& path, const std::optional<std::string>& home) {
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) {
    return *home + path.substr(1);
  }
  return path;
}

std::string default_path(const std::optional<std::string>& home, const char* file) {
  // Without HOME the CLI would look under the current user's home from the password
  // database; drover only says the file was not found, which the messages then show.
  return (home ? *home : std::string("~")) + "/.aws/" + file;
}

}  // namespace

std::optional<std::string> env_value(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return value;
}

const std::map<std::string, std::string>* ProfileFiles::find(const std::string& profile) const {
  auto it = profiles.find(profile);
  return it == profiles.end() ? nullptr : &it->second;
}

std::string ProfileFiles::describe_paths() const {
  return credentials_path + (credentials_found ? "" : " (not found)") + " and " + config_path +
         (config_found ? "" : " (not found)");
}

ProfileChoice choose_profile(const std::optional<std::string>& flag, const EnvLookup& env) {
  if (flag && !flag->empty()) {
    return {*flag, "--profile", true};
  }
  if (auto from_env = env_value(env, "AWS_PROFILE")) {
    return {*from_env, "$AWS_PROFILE", true};
  }
  return {"default", "default", false};
}

ProfileFiles load_profile_files(const EnvLookup& env) {
  const auto home = env_value(env, "HOME");
  ProfileFiles files;
  auto config_override = env_value(env, "AWS_CONFIG_FILE");
  files.config_path =
      config_override ? expand_home(*config_override, home) : default_path(home, "config");
  auto credentials_override = env_value(env, "AWS_SHARED_CREDENTIALS_FILE");
  files.credentials_path = credentials_override ? expand_home(*credentials_override, home)
                                                : default_path(home, "credentials");

  if (auto config = read_ini_file(files.config_path)) {
    files.config_found = true;
    // `[default]` first so that `[profile default]`, the newer spelling, wins a tie.
    if (auto it = config->sections.find("default"); it != config->sections.end()) {
      files.profiles["default"] = it->second;
    }
    for (const auto& [section, keys] : config->sections) {
      if (section.rfind(kProfilePrefix, 0) == 0) {
        auto name = section.substr(kProfilePrefix.size());
        name.erase(0, name.find_first_not_of(" \t"));
        for (const auto& [key, value] : keys) {
          files.profiles[name][key] = value;
        }
      } else if (section != "default" && section.find(' ') == std::string::npos) {
        files.ignored_config_sections.push_back(section);
      }
      // Other sections ("sso-session x", "services x") are not profiles and not mistakes.
    }
  }
  if (auto credentials = read_ini_file(files.credentials_path)) {
    files.credentials_found = true;
    for (const auto& [section, keys] : credentials->sections) {
      for (const auto& [key, value] : keys) {
        files.profiles[section][key] = value;
      }
    }
  }
  return files;
}

}  // namespace drover::aws
