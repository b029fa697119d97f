#include "registry/credential_helper.h"

#include <nlohmann/json.hpp>

namespace drover::registry {
namespace {

constexpr std::string_view kNotFound = "credentials not found in native keychain";
constexpr std::size_t kMaxComplaint = 200;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// A failing helper's own words, one line, bounded: they say what is wrong (no AWS
// credentials, a locked keychain). Only ever taken from a failed run, which prints no secret.
std::string complaint(const ProcessResult& result) {
  std::string text = trimmed(result.err.empty() ? result.out : result.err);
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > kMaxComplaint) text = text.substr(0, kMaxComplaint) + "…";
  return text.empty() ? "no message" : text;
}

}  // namespace

std::string credential_helper_program(const std::string& name) {
  return "docker-credential-" + name;
}

std::optional<RegistryCredentials> run_credential_helper(ProcessRunner& runner,
                                                         const std::string& name,
                                                         const std::string& server_address) {
  const std::string program = credential_helper_program(name);
  ProcessOptions options;
  options.timeout = kCredentialHelperTimeout;
  options.stdin_data = server_address;
  ProcessResult result;
  try {
    result = runner.run({program, "get"}, options);
  } catch (const std::exception& e) {
    throw RegistryAuthError("the credential helper " + program + " for " + server_address +
                            " cannot be run: " + e.what() + " (install it, or change the " +
                            "Docker client config's credsStore/credHelpers)");
  }
  if (result.timed_out) {
    throw RegistryAuthError("the credential helper " + program + " did not answer for " +
                            server_address + " within " +
                            std::to_string(kCredentialHelperTimeout.count()) + " s");
  }
  if (result.exit_code != 0) {
    if (result.out.find(kNotFound) != std::string::npos ||
        result.err.find(kNotFound) != std::string::npos) {
      return std::nullopt;
    }
    throw RegistryAuthError("the credential helper " + program + " failed for " + server_address +
                            ": " + complaint(result));
  }
  const auto answer = nlohmann::json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  const auto text = [&answer](const char* key) {
    const auto it = answer.find(key);
    return it != answer.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("Secret")) {
    throw RegistryAuthError("the credential helper " + program + " answered for " + server_address +
                            " with something other than its JSON answer");
  }
  RegistryCredentials credentials;
  credentials.source = program;
  const std::string user = text("Username");
  if (user == "<token>") {
    credentials.identity_token = text("Secret");
  } else {
    credentials.username = user;
    credentials.password = text("Secret");
  }
  if (credentials.empty()) return std::nullopt;
  return credentials;
}

}  // namespace drover::registry
