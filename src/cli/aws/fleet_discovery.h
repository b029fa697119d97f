#pragma once
// Fleet discovery (discover = "ssm"): the fleet's hosts are the running EC2 instances carrying
// the [aws] tag (drover-fleet=tradebot by default), found with EC2 DescribeInstances filtered
// by tag:<key> and instance-state-name=running. Each instance says the rest in its own tags:
//   bots_tag   (drover-bots)   its bot ids, separated by spaces or commas: "539 540 541"
//   group_tag  (drover-group)  production (the default when absent) or staging
//   Name                       the host's name in drover (else its instance id)
// A tag drover cannot read is an error naming the instance and the tag, never skipped: a host
// silently left out of the fleet would be a host never deployed to.
#include <functional>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/query_protocol_client.h"
#include "cli/config/aws.h"
#include "core/fleet.h"

namespace drover::cli {

/// One EC2 query call (action, parameters) → the XML answer; aws::QueryProtocolClient::call.
using Ec2Call = std::function<pugi::xml_document(std::string_view action,
                                                 const aws::QueryParameters& parameters)>;

struct Ec2Instance {
  std::string id;
  std::string state;  // running, stopped, ...
  std::map<std::string, std::string> tags;
};

/// The instances of one DescribeInstances answer (every reservation), and its nextToken ("" on
/// the last page).
struct Ec2InstancePage {
  std::vector<Ec2Instance> instances;
  std::string next_token;
};
Ec2InstancePage parse_describe_instances(const pugi::xml_document& answer);

/// The DescribeInstances parameters for the fleet's running, tagged instances.
aws::QueryParameters describe_fleet_parameters(const TagMatch& tag, const std::string& next_token);

/// The hosts those instances are, in instance-id order. Throws core::InputError naming the
/// instance and the tag for a missing or unreadable bots tag, a bad group or Name.
std::vector<core::Host> hosts_from_instances(const std::vector<Ec2Instance>& instances,
                                             const AwsSettings& settings);

/// DescribeInstances (every page), then hosts_from_instances. Throws aws::AwsError and
/// core::InputError.
std::vector<core::Host> discover_hosts(const Ec2Call& ec2, const AwsSettings& settings);

}  // namespace drover::cli
