#pragma once
// The default credential chain: where drover finds AWS credentials, in the AWS CLI's order.
//   1. Environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN). Skipped
//      when a profile is passed explicitly (--profile), as the CLI does: the flag is the
//      operator's latest word. $AWS_PROFILE does not skip it.
//   2. The profile (--profile, else $AWS_PROFILE, else "default") from ~/.aws/credentials and
//      ~/.aws/config: role_arn, static keys, credential_process (credential_profile_provider.h).
//      A profile that was named and does not exist is an error; a missing "default" is not.
//   3. Container credentials (credential_container.h).
//   4. The EC2 instance role through IMDSv2 (credential_imds.h).
// The first source that is configured wins and is kept: later calls ask it alone, refreshing
// expiring credentials ahead of time. A source that is configured but broken is an error, not a
// reason to try the next one (the operator would otherwise run as someone unexpected).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aws/credential_cache.h"
#include "aws/credential_sts.h"
#include "aws/credentials.h"
#include "util/http/http_client.h"
#include "util/subprocess.h"

namespace drover::aws {

/// Everything the chain reads or calls. The referenced objects must outlive the provider.
struct CredentialChainOptions {
  HttpClient& http;                                  // container, IMDS and (by default) STS
  ProcessRunner& processes;                          // credential_process
  WallClock clock = std::chrono::system_clock::now;  // expiry, refresh and STS signing
  std::string region;                                // STS's region (see region.h)
  EnvLookup env = process_env;
  std::optional<std::string> profile = std::nullopt;  // --profile
  std::chrono::seconds refresh_before = kDefaultRefreshBefore;
  // How STS AssumeRole is called. Empty: sts_assume_role over `http`, signed with SigV4.
  AssumeRoleFunction assume_role = nullptr;
};

/// The chain as a provider. Construction reads nothing; the first get() resolves the source
/// (and throws AwsError("NoCredentials") listing what was tried when there is none, trying
/// again at the next call).
std::unique_ptr<CredentialsProvider> make_default_credential_chain(
    const CredentialChainOptions& options);

/// The SigV4 signer the default STS call uses (aws/sigv4.h), for callers that build their own.
RequestSigner sigv4_request_signer(WallClock clock);

}  // namespace drover::aws
