#pragma once
// The real AwsConnect: drover's HttpClient, the AWS CLI's credential chain, the region
// (aws/region.h: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, [fleet]
// region, eu-west-1) and the endpoint ([aws] endpoint_url, else AWS_ENDPOINT_URL_<SERVICE>,
// AWS_ENDPOINT_URL, else the public endpoint). One session per distinct setting, kept for the
// process: discovery, the lock and the transport share credentials and connections.
#include <memory>

#include "cli/aws/apis.h"
#include "cli/state/state_dir.h"
#include "util/clock.h"
#include "util/http/http_client.h"
#include "util/random.h"
#include "util/subprocess.h"

namespace drover::cli {

/// An AwsConnect over the real network (`http`, shared by every session). The references must
/// outlive every AwsApis it returns.
AwsConnect real_aws_connect(EnvLookup env, Clock& clock, Random& random, ProcessRunner& runner,
                            HttpClient& http);

}  // namespace drover::cli
