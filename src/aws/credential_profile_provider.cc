#include "aws/credential_profile_provider.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "aws/aws_error.h"
#include "aws/credential_cache.h"
#include "aws/credential_container.h"
#include "aws/credential_environment.h"
#include "aws/credential_imds.h"
#include "aws/credential_process.h"

namespace drover::aws {
namespace {

using Settings = std::map<std::string, std::string>;
constexpr const char* kCode = "InvalidProfile";

const std::string* setting(const Settings& settings, const char* key) {
  auto it = settings.find(key);
  return it == settings.end() || it->second.empty() ? nullptr : &it->second;
}

std::optional<Credentials> static_keys(const ProfileProviderContext& context,
                                       const std::string& name, const Settings& settings) {
  const auto* key_id = setting(settings, "aws_access_key_id");
  const auto* secret = setting(settings, "aws_secret_access_key");
  if (!key_id && !secret) {
    return std::nullopt;
  }
  if (!key_id || !secret) {
    throw AwsError(kCode, "profile " + name + " sets " +
                              (key_id ? "aws_access_key_id (" + *key_id + ")"
                                      : std::string("aws_secret_access_key")) +
                              " but not " +
                              (key_id ? "aws_secret_access_key" : "aws_access_key_id") +
                              "; fix it in " + context.files.describe_paths());
  }
  Credentials credentials;
  credentials.access_key_id = *key_id;
  credentials.secret_access_key = *secret;
  // aws_security_token is the older name the CLI still reads.
  if (const auto* token = setting(settings, "aws_session_token")) {
    credentials.session_token = *token;
  } else if (const auto* old_token = setting(settings, "aws_security_token")) {
    credentials.session_token = *old_token;
  }
  credentials.source = "profile " + name;
  return credentials;
}

std::string join_chain(const std::vector<std::string>& visited, const std::string& last) {
  std::string text;
  for (const auto& name : visited) {
    text += name + " -> ";
  }
  return text + last;
}

std::unique_ptr<CredentialsProvider> build(const ProfileProviderContext& context,
                                           const std::string& name,
                                           std::vector<std::string>& visited);

// Where a role's source credentials come from: source_profile or credential_source.
std::shared_ptr<CredentialsProvider> role_source(const ProfileProviderContext& context,
                                                 const std::string& name, const Settings& settings,
                                                 std::vector<std::string>& visited) {
  const auto* source_profile = setting(settings, "source_profile");
  const auto* credential_source = setting(settings, "credential_source");
  if (source_profile && credential_source) {
    throw AwsError(kCode,
                   "profile " + name + " sets both source_profile and credential_source; keep one");
  }
  if (source_profile) {
    if (*source_profile == name) {
      // A profile may name itself to say "my own static keys assume my role".
      auto own = static_keys(context, name, settings);
      if (!own) {
        throw AwsError(kCode, "profile " + name +
                                  " names itself as source_profile but has no "
                                  "aws_access_key_id/aws_secret_access_key");
      }
      return std::make_shared<StaticCredentialsProvider>(*own);
    }
    if (std::find(visited.begin(), visited.end(), *source_profile) != visited.end()) {
      throw AwsError(kCode, "source_profile loops: " + join_chain(visited, *source_profile));
    }
    if (context.files.find(*source_profile) == nullptr) {
      throw AwsError(kCode, "profile " + name + " has source_profile " + *source_profile +
                                ", which is not in " + context.files.describe_paths());
    }
    auto source = build(context, *source_profile, visited);
    if (!source) {
      throw AwsError(kCode, "profile " + name + " has source_profile " + *source_profile +
                                ", which holds no credentials");
    }
    return source;
  }
  if (credential_source) {
    if (*credential_source == "Environment") {
      auto from_env = credentials_from_environment(context.env);
      if (!from_env) {
        throw AwsError(kCode, "profile " + name +
                                  " has credential_source Environment but AWS_ACCESS_KEY_ID is "
                                  "not set");
      }
      return std::make_shared<StaticCredentialsProvider>(*from_env);
    }
    if (*credential_source == "Ec2InstanceMetadata") {
      auto endpoint = imds_endpoint_from_env(context.env);
      if (!endpoint) {
        throw AwsError(kCode, "profile " + name +
                                  " has credential_source Ec2InstanceMetadata but "
                                  "AWS_EC2_METADATA_DISABLED is true");
      }
      HttpClient& http = context.http;
      return std::make_shared<RefreshingCredentialsProvider>(
          [&http, endpoint = *endpoint] { return fetch_imds_credentials(http, endpoint); },
          context.clock, context.refresh_before);
    }
    if (*credential_source == "EcsContainer") {
      auto endpoint = container_endpoint_from_env(context.env);
      if (!endpoint) {
        throw AwsError(kCode, "profile " + name +
                                  " has credential_source EcsContainer but neither "
                                  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set");
      }
      HttpClient& http = context.http;
      return std::make_shared<RefreshingCredentialsProvider>(
          [&http, endpoint = *endpoint] { return fetch_container_credentials(http, endpoint); },
          context.clock, context.refresh_before);
    }
    throw AwsError(kCode, "profile " + name + " has credential_source " + *credential_source +
                              "; drover knows Environment, Ec2InstanceMetadata and EcsContainer");
  }
  throw AwsError(kCode, "profile " + name +
                            " has role_arn but neither source_profile nor credential_source, so "
                            "nothing can assume the role");
}

std::unique_ptr<CredentialsProvider> assume_role_provider(const ProfileProviderContext& context,
                                                          const std::string& name,
                                                          const Settings& settings,
                                                          std::vector<std::string>& visited) {
  if (setting(settings, "mfa_serial")) {
    throw AwsError(kCode, "profile " + name +
                              " needs an MFA code (mfa_serial), which drover cannot prompt for; "
                              "use credential_process with a helper that caches MFA sessions");
  }
  if (context.region.empty()) {
    throw AwsError(kCode, "profile " + name + " assumes a role, but no region is set for STS");
  }
  AssumeRoleRequest request;
  request.role_arn = *setting(settings, "role_arn");
  request.profile = name;
  request.region = context.region;
  request.endpoint = sts_endpoint(context.env, context.region);
  if (const auto* session = setting(settings, "role_session_name")) {
    request.session_name = *session;
  }
  if (const auto* external_id = setting(settings, "external_id")) {
    request.external_id = *external_id;
  }
  if (const auto* duration = setting(settings, "duration_seconds")) {
    int seconds = 0;
    const auto [end, error] =
        std::from_chars(duration->data(), duration->data() + duration->size(), seconds);
    if (error != std::errc() || end != duration->data() + duration->size() || seconds <= 0) {
      throw AwsError(kCode, "profile " + name + " has duration_seconds " + *duration +
                                ", which is not a whole number of seconds");
    }
    request.duration_seconds = seconds;
  }

  visited.push_back(name);
  auto source = role_source(context, name, settings, visited);
  visited.pop_back();

  WallClock clock = context.clock;
  auto fetch = [source, request, assume = context.assume_role, clock]() {
    AssumeRoleRequest call = request;
    if (call.session_name.empty()) {
      // Unique enough per refresh and shows up in CloudTrail as drover's doing.
      const auto seconds =
          std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch());
      call.session_name = "drover-" + std::to_string(seconds.count());
    }
    return assume(call, source->get());
  };
  return std::make_unique<RefreshingCredentialsProvider>(std::move(fetch), clock,
                                                         context.refresh_before);
}

std::unique_ptr<CredentialsProvider> build(const ProfileProviderContext& context,
                                           const std::string& name,
                                           std::vector<std::string>& visited) {
  const Settings& settings = *context.files.find(name);
  if (setting(settings, "role_arn")) {
    if (setting(settings, "web_identity_token_file")) {
      throw AwsError(kCode, "profile " + name +
                                " uses web_identity_token_file (AssumeRoleWithWebIdentity), "
                                "which drover does not support");
    }
    return assume_role_provider(context, name, settings, visited);
  }
  if (auto keys = static_keys(context, name, settings)) {
    return std::make_unique<StaticCredentialsProvider>(std::move(*keys));
  }
  if (const auto* command = setting(settings, "credential_process")) {
    ProcessRunner& processes = context.processes;
    return std::make_unique<RefreshingCredentialsProvider>(
        [&processes, command = *command, name] {
          return run_credential_process(processes, command, name);
        },
        context.clock, context.refresh_before);
  }
  if (setting(settings, "sso_session") || setting(settings, "sso_start_url")) {
    throw AwsError(kCode, "profile " + name +
                              " signs in through IAM Identity Center (SSO), which drover does not "
                              "read directly; give drover a profile with: credential_process = "
                              "aws configure export-credentials --profile " +
                              name + " --format process");
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<CredentialsProvider> make_profile_provider(const ProfileProviderContext& context,
                                                           const std::string& name) {
  std::vector<std::string> visited;
  return build(context, name, visited);
}

}  // namespace drover::aws
