#include "transport/ssh/ssh_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace drover::transport {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// A leading '-' would read as an ssh option if it ever reached ssh's argv unguarded; drover
// always puts `--` first, but a name like that is a typo either way.
void check_word(std::string_view word, std::string_view what) {
  if (word.empty()) {
    throw std::invalid_argument(fmt::format("the {} is empty", what));
  }
  if (word.front() == '-') {
    throw std::invalid_argument(fmt::format("the {} '{}' starts with '-'", what, word));
  }
  for (char c : word) {
    if (!is_name_char(c)) {
      throw std::invalid_argument(fmt::format("the {} '{}' has '{}'", what, word, c));
    }
  }
}

// An IPv6 address as inet_pton reads it (an embedded IPv4 included), then an optional %zone.
// Checking the characters alone let "[896:72]" through, which is no address, and which
// to_string then shows as the host 896 with port 72 (found by fuzz/ssh_address_fuzz.cc).
void check_v6(std::string_view word) {
  const auto zone = word.find('%');
  const std::string address(word.substr(0, zone));
  in6_addr parsed{};
  if (inet_pton(AF_INET6, address.c_str(), &parsed) != 1) {
    throw std::invalid_argument(fmt::format("'{}' is not an IPv6 address", word));
  }
  if (zone != std::string_view::npos) {
    check_word(word.substr(zone + 1), "IPv6 zone");
  }
}

int parse_port(std::string_view text) {
  int port = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || port < 1 ||
      port > 65535) {
    throw std::invalid_argument(fmt::format("the port '{}' is not a number from 1 to 65535", text));
  }
  return port;
}

}  // namespace

SshAddress parse_ssh_address(std::string_view text) {
  SshAddress address;
  std::string_view rest = text;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    address.user = std::string(rest.substr(0, at));
    check_word(address.user, "user");
    rest = rest.substr(at + 1);
  }
  if (rest.starts_with('[')) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) {
      throw std::invalid_argument(fmt::format("'[{}' has no closing ']'", rest.substr(1)));
    }
    address.host = std::string(rest.substr(1, close - 1));
    check_v6(address.host);
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) {
        throw std::invalid_argument(fmt::format("'{}' after ']' is not :port", after));
      }
      address.port = parse_port(after.substr(1));
    }
    return address;
  }
  const auto first_colon = rest.find(':');
  if (first_colon != std::string_view::npos && rest.find(':', first_colon + 1) != rest.npos) {
    // Two or more colons: an IPv6 address, which can only carry a port inside brackets.
    address.host = std::string(rest);
    check_v6(address.host);
    return address;
  }
  address.host = std::string(rest.substr(0, first_colon));
  check_word(address.host, "host");
  if (first_colon != std::string_view::npos) {
    address.port = parse_port(rest.substr(first_colon + 1));
  }
  return address;
}

std::string to_string(const SshAddress& address) {
  std::string out = address.user.empty() ? "" : address.user + "@";
  const bool v6 = address.host.find(':') != std::string::npos;
  out += v6 && address.port ? "[" + address.host + "]" : address.host;
  if (address.port) {
    out += ":" + std::to_string(*address.port);
  }
  return out;
}

}  // namespace drover::transport
