#pragma once
// Turns one named profile into a credentials provider, trying its settings in the AWS CLI's
// order:
//   role_arn          assume the role (STS AssumeRole) with credentials from source_profile
//                     (resolved the same way, recursively) or credential_source
//                     (Environment, Ec2InstanceMetadata, EcsContainer);
//   aws_access_key_id + aws_secret_access_key (+ aws_session_token): static keys;
//   credential_process: run the helper.
// Settings drover cannot honour (mfa_serial, SSO, web identity) are errors that say what to
// do instead, not a silent fall-through to another source.
#include <chrono>
#include <memory>
#include <string>

#include "aws/credential_profiles.h"
#include "aws/credential_sts.h"
#include "aws/credentials.h"
#include "util/http/http_client.h"
#include "util/subprocess.h"

namespace drover::aws {

struct ProfileProviderContext {
  const ProfileFiles& files;
  const EnvLookup& env;
  HttpClient& http;
  ProcessRunner& processes;
  WallClock clock;
  const AssumeRoleFunction& assume_role;
  std::string region;  // for STS
  std::chrono::seconds refresh_before;
};

/// The provider for profile `name`, or nullptr when the profile exists but holds no
/// credential settings at all (a profile with only `region`, say: the chain goes on to the
/// container and the instance role, as the CLI does). Throws AwsError("InvalidProfile") for
/// half-set keys, a source_profile that is missing or loops, and unsupported settings.
/// The profile must exist (files.find(name) != nullptr).
std::unique_ptr<CredentialsProvider> make_profile_provider(const ProfileProviderContext& context,
                                                           const std::string& name);

}  // namespace drover::aws
