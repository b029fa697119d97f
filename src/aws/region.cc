#include "aws/region.h"

#include "aws/aws_error.h"
#include "aws/credential_profiles.h"

namespace drover::aws {
namespace {

bool lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

// The value as it may be shown: the text itself when printable, else a placeholder, so a
// stray control character cannot garble the terminal.
std::string shown(const std::string& value) {
  for (unsigned char c : value) {
    if (c < 0x20 || c >= 0x7f) {
      return "(a value with unprintable characters)";
    }
  }
  return "\"" + value + "\"";
}

ResolvedRegion checked(std::string name, std::string source) {
  if (!is_valid_region(name)) {
    throw AwsError("InvalidRegion", source + " gives region " + shown(name) +
                                        ", which is not an AWS region name such as eu-west-1");
  }
  return {std::move(name), std::move(source)};
}

}  // namespace

bool is_valid_region(std::string_view region) {
  // ^[a-z]{2}(-[a-z]+)+-[0-9]+$ without <regex>, which is slow to build for one check.
  if (region.size() < 6 || region.size() > 64 || !lower(region[0]) || !lower(region[1]) ||
      region[2] != '-') {
    return false;
  }
  std::size_t pos = 2;
  int word_parts = 0;
  while (pos < region.size() && region[pos] == '-') {
    const std::size_t start = ++pos;
    if (pos < region.size() && lower(region[pos])) {
      while (pos < region.size() && lower(region[pos])) {
        ++pos;
      }
      ++word_parts;
      continue;
    }
    while (pos < region.size() && digit(region[pos])) {
      ++pos;
    }
    return pos > start && pos == region.size() && word_parts > 0;
  }
  return false;
}

ResolvedRegion resolve_region(const RegionInputs& inputs) {
  if (inputs.explicit_region && !inputs.explicit_region->empty()) {
    return checked(*inputs.explicit_region, "--region");
  }
  if (auto value = env_value(inputs.env, "AWS_REGION")) {
    return checked(*value, "$AWS_REGION");
  }
  if (auto value = env_value(inputs.env, "AWS_DEFAULT_REGION")) {
    return checked(*value, "$AWS_DEFAULT_REGION");
  }
  const auto choice = choose_profile(inputs.profile, inputs.env);
  const auto files = load_profile_files(inputs.env);
  if (const auto* settings = files.find(choice.name)) {
    if (auto it = settings->find("region"); it != settings->end() && !it->second.empty()) {
      return checked(it->second, "profile " + choice.name + " in " + files.config_path);
    }
  }
  if (inputs.fleet_region && !inputs.fleet_region->empty()) {
    return checked(*inputs.fleet_region, "drover.toml [fleet] region");
  }
  return {kDefaultRegion, "default"};
}

}  // namespace drover::aws
