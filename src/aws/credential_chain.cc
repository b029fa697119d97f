#include "aws/credential_chain.h"

#include <mutex>
#include <utility>
#include <vector>

#include "aws/aws_error.h"
#include "aws/credential_container.h"
#include "aws/credential_environment.h"
#include "aws/credential_imds.h"
#include "aws/credential_profile_provider.h"
#include "aws/credential_profiles.h"
#include "aws/sigv4.h"

namespace drover::aws {
namespace {

constexpr const char* kHowToFix =
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws configure` (it writes "
    "~/.aws/credentials), or choose a configured profile with --profile NAME or AWS_PROFILE, or "
    "run drover where a container or EC2 instance role provides credentials";

std::string list_profiles(const ProfileFiles& files) {
  if (files.profiles.empty()) {
    return "no profiles there";
  }
  std::string text = "profiles there: ";
  bool first = true;
  for (const auto& [name, settings] : files.profiles) {
    text += (first ? "" : ", ") + name;
    first = false;
  }
  return text;
}

class DefaultChain final : public CredentialsProvider {
 public:
  explicit DefaultChain(CredentialChainOptions options) : options_(std::move(options)) {
    if (!options_.assume_role) {
      HttpClient& http = options_.http;
      options_.assume_role = [&http, sign = sigv4_request_signer(options_.clock)](
                                 const AssumeRoleRequest& request, const Credentials& source) {
        return sts_assume_role(http, sign, request, source);
      };
    }
  }

  Credentials get() override {
    CredentialsProvider* chosen = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (!chosen_) {
        chosen_ = resolve();
      }
      chosen = chosen_.get();
    }
    // The chosen provider is thread-safe itself; holding our lock here would queue every
    // caller behind one refresh that only needs to block callers of the same source.
    return chosen->get();
  }

 private:
  std::unique_ptr<CredentialsProvider> resolve() {
    std::vector<std::string> tried;
    const auto choice = choose_profile(options_.profile, options_.env);

    if (choice.how == "--profile") {
      tried.push_back("environment (not read: --profile given)");
    } else if (auto from_env = credentials_from_environment(options_.env)) {
      return std::make_unique<StaticCredentialsProvider>(std::move(*from_env));
    } else {
      tried.push_back("environment (AWS_ACCESS_KEY_ID not set)");
    }

    const auto files = load_profile_files(options_.env);
    const std::string profile_text =
        "profile " + choice.name + (choice.explicit_choice ? " (from " + choice.how + ")" : "");
    if (files.find(choice.name) == nullptr) {
      if (choice.explicit_choice) {
        std::string hint;
        for (const auto& section : files.ignored_config_sections) {
          if (section == choice.name) {
            hint = "; " + files.config_path + " has [" + section +
                   "], but a profile there is written [profile " + section + "]";
          }
        }
        throw AwsError("ProfileNotFound", profile_text + " is not in " + files.describe_paths() +
                                              " (" + list_profiles(files) + ")" + hint);
      }
      tried.push_back(profile_text + " (not in " + files.describe_paths() + ")");
    } else {
      const ProfileProviderContext context{
          files,          options_.env,         options_.http,   options_.processes,
          options_.clock, options_.assume_role, options_.region, options_.refresh_before};
      if (auto provider = make_profile_provider(context, choice.name)) {
        return provider;
      }
      tried.push_back(profile_text + " (in " + files.describe_paths() + ", but no credentials)");
    }

    if (auto endpoint = container_endpoint_from_env(options_.env)) {
      HttpClient& http = options_.http;
      return std::make_unique<RefreshingCredentialsProvider>(
          [&http, endpoint = *endpoint] { return fetch_container_credentials(http, endpoint); },
          options_.clock, options_.refresh_before);
    }
    tried.push_back(
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI "
        "not set)");

    if (auto endpoint = imds_endpoint_from_env(options_.env)) {
      HttpClient& http = options_.http;
      auto fetch = [&http, endpoint = *endpoint] { return fetch_imds_credentials(http, endpoint); };
      try {
        // Fetched now because only an answer tells whether this is an EC2 instance with a role.
        auto first = fetch();
        return std::make_unique<RefreshingCredentialsProvider>(fetch, options_.clock,
                                                               options_.refresh_before, first);
      } catch (const AwsError& e) {
        if (e.code() != "ImdsUnavailable" && e.code() != "ImdsNoRole") {
          throw;
        }
        tried.push_back("EC2 instance role (" + e.message() + ")");
      }
    } else {
      tried.push_back("EC2 instance role (AWS_EC2_METADATA_DISABLED is true)");
    }

    std::string message = "no AWS credentials found; tried: ";
    for (std::size_t i = 0; i < tried.size(); ++i) {
      message += (i == 0 ? "" : "; ") + tried[i];
    }
    throw AwsError("NoCredentials", message + ". To fix: " + kHowToFix);
  }

  CredentialChainOptions options_;
  std::mutex mutex_;
  std::unique_ptr<CredentialsProvider> chosen_;
};

}  // namespace

RequestSigner sigv4_request_signer(WallClock clock) {
  return [clock = std::move(clock)](HttpRequest& request, const Credentials& credentials,
                                    const std::string& region, const std::string& service) {
    sigv4::sign(request, credentials, sigv4::SigningScope{region, service, clock()});
  };
}

std::unique_ptr<CredentialsProvider> make_default_credential_chain(
    const CredentialChainOptions& options) {
  return std::make_unique<DefaultChain>(options);
}

}  // namespace drover::aws
