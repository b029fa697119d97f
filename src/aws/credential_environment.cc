#include "aws/credential_environment.h"

#include "aws/aws_error.h"
#include "aws/credential_profiles.h"

namespace drover::aws {

std::optional<Credentials> credentials_from_environment(const EnvLookup& env) {
  auto key_id = env_value(env, "AWS_ACCESS_KEY_ID");
  auto secret = env_value(env, "AWS_SECRET_ACCESS_KEY");
  if (!key_id && !secret) {
    return std::nullopt;
  }
  if (!secret) {
    throw AwsError("PartialCredentials",
                   "AWS_ACCESS_KEY_ID is set (" + *key_id +
                       ") but AWS_SECRET_ACCESS_KEY is not; set both, or unset AWS_ACCESS_KEY_ID "
                       "to use a profile or an instance role");
  }
  if (!key_id) {
    throw AwsError("PartialCredentials",
                   "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both, or "
                   "unset AWS_SECRET_ACCESS_KEY to use a profile or an instance role");
  }
  Credentials credentials;
  credentials.access_key_id = *key_id;
  credentials.secret_access_key = *secret;
  credentials.session_token = env_value(env, "AWS_SESSION_TOKEN").value_or("");
  credentials.source = "environment";
  return credentials;
}

}  // namespace drover::aws
