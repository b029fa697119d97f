#include "cli/config/aws.h"

#include <fmt/format.h>

#include <cmath>

#include "core/printable_text.h"

namespace drover::cli {
namespace {

const Expected kRegion{"a region name in quotes", "region = \"eu-west-1\""};
const Expected kDiscover{"\"ssm\"", "discover = \"ssm\""};
const Expected kProfile{"a profile name in quotes", "profile = \"prod\""};
const Expected kEndpoint{"a URL in quotes",
                         "endpoint_url = \"https://ssm.eu-west-1.amazonaws.com\""};
const Expected kTag{"key=value in quotes", "tag = \"drover-fleet=tradebot\""};
const Expected kBotsTag{"a tag key in quotes", "bots_tag = \"drover-bots\""};
const Expected kGroupTag{"a tag key in quotes", "group_tag = \"drover-group\""};
const Expected kLockParameter{"a Parameter Store name in quotes",
                              "lock_parameter = \"/drover/tradebot/deploy-lock\""};
const Expected kAgentUrl{"a URL in quotes",
                         "agent_url = \"https://artifacts.example.com/drover-agent\""};
const Expected kPollInterval{"a number of seconds", "poll_interval = 2"};
const Expected kMaxRequests{"a number of requests a second", "max_requests_per_second = 20"};

constexpr std::size_t kMaxTagKey = 128;
constexpr std::size_t kMaxParameterName = 1011;
constexpr double kMinPollSeconds = 0.1;
constexpr double kMaxPollSeconds = 60;
constexpr double kMinRequestsPerSecond = 1;
constexpr double kMaxRequestsPerSecond = 1000;

bool printable_ascii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool is_region(std::string_view text) {
  // us-east-1, eu-west-1, us-gov-west-1, cn-north-1, local test regions alike.
  if (text.empty() || text.size() > 32) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool is_tag_key(std::string_view key) {
  return !key.empty() && key.size() <= kMaxTagKey && printable_ascii(key) &&
         !key.starts_with("aws:");
}

std::string read_tag_key(const ConfigTable& aws, std::string_view key, const Expected& expected,
                         std::string fallback) {
  auto value = aws.string(key, expected);
  if (!value) return fallback;
  if (!is_tag_key(*value)) {
    aws.fail(key, fmt::format("'{}' is not a tag key", core::printable(*value)),
             fmt::format("use 1 to 128 printable characters not starting with aws:, e.g. {}",
                         expected.example));
  }
  return *value;
}

std::optional<std::string> read_url(const ConfigTable& aws, std::string_view key,
                                    const Expected& expected) {
  auto url = aws.string(key, expected);
  if (url && !(url->starts_with("https://") || url->starts_with("http://"))) {
    aws.fail(key, fmt::format("'{}' is not an http(s) URL", core::printable(*url)),
             fmt::format("write it like: {}", expected.example));
  }
  if (url && !printable_ascii(*url)) {
    aws.fail(key, "the URL holds control characters",
             fmt::format("write it like: {}", expected.example));
  }
  return url;
}

void read_fleet_keys(const ConfigTable& fleet, AwsSettings& s) {
  s.region = fleet.string("region", kRegion);
  if (s.region && !is_region(*s.region)) {
    fleet.fail("region", fmt::format("'{}' is not an AWS region name", core::printable(*s.region)),
               "write it like: region = \"eu-west-1\"");
  }
  if (auto discover = fleet.string("discover", kDiscover)) {
    if (*discover != "ssm") {
      fleet.fail("discover",
                 fmt::format("'{}' is not a discovery method", core::printable(*discover)),
                 "use discover = \"ssm\" (EC2 tags), or remove it and list [[hosts]]");
    }
    s.discover = Discovery::ssm;
  }
}

void read_aws_table(const ConfigTable& aws, AwsSettings& s) {
  aws.allow_only({"profile", "endpoint_url", "tag", "bots_tag", "group_tag", "lock_parameter",
                  "agent_url", "poll_interval", "max_requests_per_second"});
  s.profile = aws.string("profile", kProfile);
  if (s.profile && (s.profile->empty() || !printable_ascii(*s.profile))) {
    aws.fail("profile", "is not a profile name", "write it like: profile = \"prod\"");
  }
  s.endpoint_url = read_url(aws, "endpoint_url", kEndpoint);
  if (auto tag = aws.string("tag", kTag)) {
    auto match = parse_tag_match(*tag);
    if (!match) {
      aws.fail("tag",
               fmt::format("'{}' is not key=value with a valid tag key", core::printable(*tag)),
               "write it like: tag = \"drover-fleet=tradebot\"");
    }
    s.tag = *match;
  }
  s.bots_tag = read_tag_key(aws, "bots_tag", kBotsTag, s.bots_tag);
  s.group_tag = read_tag_key(aws, "group_tag", kGroupTag, s.group_tag);
  if (auto name = aws.string("lock_parameter", kLockParameter)) {
    if (!is_parameter_name(*name)) {
      aws.fail("lock_parameter",
               fmt::format("'{}' is not a Parameter Store name", core::printable(*name)),
               "start it with '/' and use letters, digits, '_', '.', '-' and '/', e.g. "
               "lock_parameter = \"/drover/tradebot/deploy-lock\"");
    }
    s.lock_parameter = *name;
  }
  s.agent_url = read_url(aws, "agent_url", kAgentUrl).value_or("");
  if (auto seconds = aws.number("poll_interval", kPollInterval)) {
    if (!(*seconds >= kMinPollSeconds && *seconds <= kMaxPollSeconds)) {
      aws.fail("poll_interval", fmt::format("{} s is out of range", *seconds),
               "give 0.1 to 60 seconds, e.g. poll_interval = 2");
    }
    s.poll_interval = std::chrono::milliseconds(std::llround(*seconds * 1000));
  }
  if (auto rate = aws.number("max_requests_per_second", kMaxRequests)) {
    if (!(*rate >= kMinRequestsPerSecond && *rate <= kMaxRequestsPerSecond)) {
      aws.fail("max_requests_per_second",
               fmt::format("{} requests a second is out of range", *rate),
               "give 1 to 1000, e.g. max_requests_per_second = 20 (AWS throttles an account "
               "at a few tens a second)");
    }
    s.max_requests_per_second = *rate;
  }
}

}  // namespace

std::optional<TagMatch> parse_tag_match(std::string_view text) {
  auto equals = text.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  TagMatch match{std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
  if (!is_tag_key(match.key) || !printable_ascii(match.value)) return std::nullopt;
  return match;
}

bool is_parameter_name(std::string_view name) {
  if (!name.starts_with('/') || name.size() < 2 || name.size() > kMaxParameterName) return false;
  if (name.find("//") != std::string_view::npos || name.ends_with('/')) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-' || c == '/';
    if (!ok) return false;
  }
  // AWS reserves names that begin with aws or ssm (case-insensitive), with or without '/'.
  auto first = name.substr(1, 3);
  std::string lower;
  for (char c : first) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower != "aws" && lower != "ssm";
}

AwsSettings read_aws_settings(const ConfigTable& fleet, const std::optional<ConfigTable>& aws,
                              const std::string& fleet_name) {
  AwsSettings settings;
  settings.lock_parameter = "/drover/" + fleet_name + "/deploy-lock";
  read_fleet_keys(fleet, settings);
  if (aws) read_aws_table(*aws, settings);
  return settings;
}

}  // namespace drover::cli
