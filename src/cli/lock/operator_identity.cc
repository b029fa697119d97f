#include "cli/lock/operator_identity.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <vector>

namespace drover::cli {

namespace {

// '@' would make the holder ambiguous; an empty part would make it unreadable.
std::string clean(std::string text, const char* fallback) {
  std::replace(text.begin(), text.end(), '@', '_');
  return text.empty() ? std::string(fallback) : text;
}

std::string effective_user() {
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr && found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return found->pw_name;
  }
  // Containers often run as a uid with no passwd entry.
  if (const char* user = std::getenv("USER"); user != nullptr && user[0] != '\0') return user;
  return fmt::format("uid{}", ::geteuid());
}

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

}  // namespace

OperatorIdentity current_operator() {
  return {clean(effective_user(), "unknown-user"), clean(host_name(), "unknown-host")};
}

std::string holder_hostname(std::string_view holder) {
  const auto at = holder.rfind('@');
  if (at == std::string_view::npos) return {};
  return std::string(holder.substr(at + 1));
}

}  // namespace drover::cli
