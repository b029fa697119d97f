#include "cli/config/login_probe.h"

#include <arpa/inet.h>

#include <regex>
#include <string>

#include "core/printable_text.h"

namespace drover::cli {
namespace {

// The agent's own limits (src/agent/login_probe_log.h, redis_login_probe.cc): refusing more
// here would reject specs the agent takes; refusing less would let them fail on every host.
constexpr std::size_t kMaxPatternLength = 1024;
constexpr std::size_t kMaxKeyOrValueLength = 512;

bool has_control_character(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> log_problem(std::string_view pattern) {
  if (pattern.empty()) {
    return "log: needs a regular expression after the colon";
  }
  if (pattern.size() > kMaxPatternLength) {
    return "log: the regular expression is longer than 1024 characters";
  }
  try {
    std::regex compiled(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return std::string("log: not a valid ECMAScript regular expression (") + e.what() + ")";
  }
  return std::nullopt;
}

bool is_ip(const std::string& host, int family) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(family, host.c_str(), buffer) == 1;
}

std::optional<std::string> redis_host_problem(std::string_view host, bool bracketed) {
  const std::string text(host);
  if (bracketed) {
    return is_ip(text, AF_INET6)
               ? std::nullopt
               : std::optional<std::string>("redis: '" + core::printable(host) +
                                            "' in brackets is not an IPv6 address");
  }
  if (text == "localhost" || is_ip(text, AF_INET)) {
    return std::nullopt;
  }
  return "redis: '" + core::printable(host) +
         "' is not an IP address (the agent cannot look host names up; give an IPv4 address, a "
         "bracketed IPv6 address or localhost)";
}

std::optional<std::string> redis_problem(std::string_view rest) {
  std::string_view host;
  bool bracketed = false;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return "redis: '[' opens an IPv6 address but no ']' closes it";
    }
    host = rest.substr(1, close - 1);
    bracketed = true;
    rest.remove_prefix(close + 1);
    if (rest.empty() || rest.front() != ':') {
      return "redis: expected ':PORT' after the address";
    }
    rest.remove_prefix(1);
  } else {
    auto colon = rest.find(':');
    if (colon == std::string_view::npos ||
        rest.substr(0, colon).find('/') != std::string_view::npos) {
      return "redis: expected IP:PORT/KEY=VALUE, as in redis:127.0.0.1:6379/bot:{id}:login=ok";
    }
    host = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (auto problem = redis_host_problem(host, bracketed)) {
    return problem;
  }

  auto slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return "redis: expected '/KEY=VALUE' after the port";
  }
  auto port_text = rest.substr(0, slash);
  bool digits_only = !port_text.empty() && port_text.size() <= 5;
  for (char c : port_text) {
    digits_only = digits_only && c >= '0' && c <= '9';
  }
  const int port = digits_only ? std::stoi(std::string(port_text)) : 0;
  if (port < 1 || port > 65535) {
    return "redis: the port '" + core::printable(port_text) + "' is not a number from 1 to 65535";
  }
  auto key_value = rest.substr(slash + 1);
  auto equals = key_value.find('=');
  if (equals == std::string_view::npos) {
    return "redis: expected KEY=VALUE after the '/'";
  }
  auto key = key_value.substr(0, equals);
  auto value = key_value.substr(equals + 1);
  if (key.empty()) {
    return "redis: the key before '=' is empty";
  }
  if (key.size() > kMaxKeyOrValueLength || value.size() > kMaxKeyOrValueLength) {
    return "redis: the key or the value is longer than 512 characters";
  }
  bool has_id = false;
  for (auto open = key.find('{'); open != std::string_view::npos; open = key.find('{', open + 1)) {
    if (key.substr(open, 4) != "{id}") {
      return "redis: unknown placeholder in the key '" + core::printable(key) +
             "'; the only placeholder is {id} (the bot id)";
    }
    has_id = true;
  }
  if (!has_id) {
    return "redis: the key must contain {id} (replaced by the bot id), or every bot would read "
           "the same key";
  }
  return std::nullopt;
}

}  // namespace

std::string_view login_probe_forms() {
  return "use health, log:REGEX or redis:IP:PORT/KEY=VALUE with {id} in the key, e.g. "
         "redis:127.0.0.1:6379/bot:{id}:login=ok";
}

std::optional<std::string> login_probe_problem(std::string_view spec) {
  if (spec.empty()) {
    return "the spec is empty";
  }
  if (has_control_character(spec)) {
    return "the spec contains a control character";
  }
  if (spec == "health") {
    return std::nullopt;
  }
  if (spec.starts_with("log:")) {
    return log_problem(spec.substr(4));
  }
  if (spec.starts_with("redis:")) {
    return redis_problem(spec.substr(6));
  }
  return "'" + core::printable(spec) + "' is not a kind of login probe drover-agent knows";
}

}  // namespace drover::cli
