#pragma once
// The AWS settings of drover.toml: [fleet] region and discover, and the [aws] table. Used by
// the ssm transport, fleet discovery, the Parameter Store deploy lock and `drover inventory`.
//
//   [fleet]
//   transport = "ssm"
//   region = "eu-west-1"          # after --region, AWS_REGION, AWS_DEFAULT_REGION, the profile
//   discover = "ssm"              # find the hosts by EC2 tag ([[hosts]] become optional)
//
//   [aws]
//   profile = "prod"              # the credentials profile (--profile replaces it)
//   endpoint_url = "https://…"    # one endpoint for every AWS service (tests, VPC endpoints)
//   tag = "drover-fleet=tradebot" # discovery: instances carrying this tag are the fleet
//   bots_tag = "drover-bots"      # discovery: the tag holding a host's bot ids ("539,540")
//   group_tag = "drover-group"    # discovery: production (default when absent) | staging
//   lock_parameter = "/drover/tradebot/deploy-lock"   # default /drover/<fleet>/deploy-lock
//   agent_url = "https://…/drover-agent"              # where hosts download the agent
//   poll_interval = 2             # seconds between GetCommandInvocation polls (0.1 .. 60)
//   max_requests_per_second = 20  # every SSM, EC2 and ECR request drover sends, retries
//                                 # included, together (1 .. 1000; bursts of one second's worth)
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cli/config/table.h"

namespace drover::cli {

enum class Discovery { none, ssm };

inline constexpr double kDefaultMaxRequestsPerSecond = 20;

/// A tag to match: key and value ("drover-fleet=tradebot").
struct TagMatch {
  std::string key;
  std::string value;
  bool operator==(const TagMatch&) const = default;
};

struct AwsSettings {
  std::optional<std::string> region;       // [fleet] region
  std::optional<std::string> region_flag;  // --region (set by the command line)
  Discovery discover = Discovery::none;
  std::optional<std::string> profile;  // [aws] profile, replaced by --profile
  std::optional<std::string> endpoint_url;
  TagMatch tag{"drover-fleet", "tradebot"};
  std::string bots_tag = "drover-bots";
  std::string group_tag = "drover-group";
  std::string lock_parameter;  // always set after reading: the default names the fleet
  std::string agent_url;
  std::chrono::milliseconds poll_interval{std::chrono::seconds(2)};
  /// The request budget (util/rate_limiter.h). 20: the refill rate EC2 documents for its
  /// non-mutating calls, within the few tens a second SSM allows an account and region.
  double max_requests_per_second = kDefaultMaxRequestsPerSecond;
};

/// Parses "key=value" (the value may be empty, the key not). nullopt when malformed.
std::optional<TagMatch> parse_tag_match(std::string_view text);

/// Whether `name` is a Parameter Store name drover accepts: '/'-rooted, letters, digits and
/// "_.-/", at most 1011 characters, no "aws"/"ssm" prefix (reserved by AWS).
bool is_parameter_name(std::string_view name);

/// The [fleet] keys region and discover, and the [aws] table (nullopt: absent). `fleet_name`
/// names the default lock parameter. Throws core::InputError at the key's line.
AwsSettings read_aws_settings(const ConfigTable& fleet, const std::optional<ConfigTable>& aws,
                              const std::string& fleet_name);

}  // namespace drover::cli
