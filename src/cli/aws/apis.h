#pragma once
// The AWS APIs the drover commands call, as plain functions so the commands (lock, discovery,
// inventory, the ssm transport) are tested with scripted answers. The real side
// (aws/connect.h) signs with the credential chain and retries throttling.
#include <functional>
#include <string>

#include "cli/aws/fleet_discovery.h"
#include "cli/config/aws.h"
#include "transport/ssm/ssm_api.h"

namespace drover::cli {

struct AwsApis {
  transport::AwsJsonCall ssm;  // SSM JSON 1.1: Run Command, instance information, parameters
  Ec2Call ec2;                 // EC2 Query: DescribeInstances
  transport::AwsJsonCall ecr;  // ECR JSON 1.1: GetAuthorizationToken (registry credentials)
  std::string region;          // the region they talk to, for messages
  // The SSM calls answering with the unparsed body, for the pages and SendCommand answers read
  // with simdjson (transport/ssm/ssm_pages.h); may be empty, see ssm_pages().
  transport::AwsBodyCall ssm_body;

  /// ssm_body, or ssm's answers serialized again when only ssm was given (scripted tests).
  transport::AwsBodyCall ssm_pages() const {
    return ssm_body ? ssm_body : transport::body_call_of(ssm);
  }
};

/// Connects to AWS as `settings` say (region, profile, endpoint). Construction does no
/// request; the first call resolves credentials.
using AwsConnect = std::function<AwsApis(const AwsSettings& settings)>;

}  // namespace drover::cli
