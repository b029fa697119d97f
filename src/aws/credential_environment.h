#pragma once
// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first
// place the AWS CLI looks.
#include <optional>

#include "aws/credentials.h"

namespace drover::aws {

/// nullopt when neither key variable is set (empty counts as unset). Throws
/// AwsError("PartialCredentials") naming the missing variable when only one of the two is set.
std::optional<Credentials> credentials_from_environment(const EnvLookup& env);

}  // namespace drover::aws
