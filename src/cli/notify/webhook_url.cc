#include "cli/notify/webhook_url.h"

#include <algorithm>

namespace drover::cli {
namespace {

// The part after "scheme://" up to the path, query or fragment: [userinfo@]host[:port].
std::string_view authority_of(std::string_view rest) {
  return rest.substr(0, std::min(rest.find_first_of("/?#"), rest.size()));
}

}  // namespace

bool is_webhook_url(std::string_view url) {
  const bool http = url.starts_with("http://");
  if (!http && !url.starts_with("https://")) return false;
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) == 0x7f;
      })) {
    return false;
  }
  auto authority = authority_of(url.substr(http ? 7 : 8));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  return !authority.empty() && authority.front() != ':';
}

std::string redacted_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "(a webhook URL)";
  const auto rest = url.substr(scheme_end + 3);
  auto authority = authority_of(rest);
  const bool more = authority.size() < rest.size();
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  return std::string(url.substr(0, scheme_end + 3)) + std::string(authority) + (more ? "/…" : "");
}

std::string without_url(std::string text, std::string_view url) {
  if (url.empty()) return text;
  const auto shown = redacted_url(url);
  for (auto at = text.find(url); at != std::string::npos; at = text.find(url, at + shown.size())) {
    text.replace(at, url.size(), shown);
  }
  return text;
}

}  // namespace drover::cli
