#include "agent/redis_login_probe.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <cctype>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "agent/login_probe_container.h"

namespace drover::agent {
namespace {

constexpr std::size_t max_key_or_value_length = 512;
constexpr timeval redis_timeout{2, 0};  // connect, and each reply
const std::string example = "redis:127.0.0.1:6379/bot:{id}:login=ok";

std::invalid_argument spec_error(const std::string& what) {
  return std::invalid_argument("redis: " + what);
}

bool is_ipv4_literal(const std::string& host) {
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool is_ipv6_literal(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Splits "HOST:PORT/REST" into host (validated, unbracketed) and the text after the colon.
std::pair<std::string, std::string> split_host(const std::string& text) {
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos)
      throw spec_error("'[' opens an IPv6 address but no ']' closes it");
    std::string host = text.substr(1, close - 1);
    if (!is_ipv6_literal(host)) {
      throw spec_error("'" + printable_spec(host) + "' in brackets is not an IPv6 address");
    }
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      throw spec_error(
          "expected ':PORT' after the IPv6 address, as in redis:[::1]:6379/bot:{id}:login=ok");
    }
    return {host, text.substr(close + 2)};
  }
  auto colon = text.find(':');
  auto slash = text.find('/');
  if (colon == std::string::npos || (slash != std::string::npos && slash < colon)) {
    throw spec_error("expected HOST:PORT before the '/', as in " + example);
  }
  std::string host = text.substr(0, colon);
  std::string after = text.substr(colon + 1);
  if (host.empty() || after.substr(0, after.find('/')).find(':') != std::string::npos) {
    throw spec_error(
        "the host is empty or contains ':'; an IPv6 address goes in brackets, as in "
        "redis:[::1]:6379/bot:{id}:login=ok");
  }
  if (lower(host) == "localhost") return {"127.0.0.1", after};
  if (is_ipv4_literal(host)) return {host, after};
  throw spec_error("'" + printable_spec(host) +
                   "' is not an IP address. drover-agent is a static binary and does not use the "
                   "system resolver, so it cannot look host names up: give the Redis server's IPv4 "
                   "address, a bracketed IPv6 address ([::1]) or localhost, as in " +
                   example);
}

int parse_port(const std::string& text) {
  bool digits_only = !text.empty() && text.size() <= 5;
  for (char c : text) digits_only = digits_only && c >= '0' && c <= '9';
  int port = digits_only ? std::stoi(text) : 0;
  if (port < 1 || port > 65535) {
    throw spec_error("the port '" + printable_spec(text) + "' is not a number from 1 to 65535");
  }
  return port;
}

void check_text(const std::string& text, const std::string& what) {
  if (text.size() > max_key_or_value_length) {
    throw spec_error("the " + what + " is longer than " + std::to_string(max_key_or_value_length) +
                     " characters");
  }
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      throw spec_error("the " + what + " contains a control character");
  }
}

void check_placeholders(const std::string& key) {
  bool has_id = false;
  for (auto open = key.find('{'); open != std::string::npos; open = key.find('{', open + 1)) {
    if (key.compare(open, 4, "{id}") == 0) {
      has_id = true;
      continue;
    }
    auto close = key.find('}', open);
    std::string placeholder = key.substr(open, close == std::string::npos ? 8 : close - open + 1);
    throw spec_error("unknown placeholder '" + printable_spec(placeholder) +
                     "' in the key; the only placeholder is {id} (the bot id)");
  }
  if (!has_id) {
    throw spec_error(
        "the key must contain {id} (replaced by the bot id), or every bot would read the "
        "same key, as in " +
        example);
  }
}

// hiredis 0.14 writes with write(2), and a Redis that closes the connection would raise
// SIGPIPE, whose default action kills the agent mid-swap. SIGPIPE for a write is delivered to
// the writing thread, so blocking it here for the exchange, then discarding one that arrived,
// keeps the probe crash-free whatever the agent's main does with signals.
class SigpipeBlockedInThisThread {
 public:
  SigpipeBlockedInThisThread() {
    sigemptyset(&pipe_only_);
    sigaddset(&pipe_only_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only_, &previous_);
  }
  ~SigpipeBlockedInThisThread() {
    if (!was_pending_) {
      const timespec no_wait{0, 0};
      while (sigtimedwait(&pipe_only_, nullptr, &no_wait) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeBlockedInThisThread(const SigpipeBlockedInThisThread&) = delete;
  SigpipeBlockedInThisThread& operator=(const SigpipeBlockedInThisThread&) = delete;

 private:
  sigset_t pipe_only_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

std::string shown_value(const char* data, std::size_t size) {
  constexpr std::size_t shown = 64;
  std::string value(data, size < shown ? size : shown);
  // Appending, not "'" + string&&: GCC 12 at -O3 reports a bogus -Wrestrict for the latter.
  std::string out = "'";
  out += printable_spec(value);
  out += size > shown ? "...'" : "'";
  return out;
}

}  // namespace

std::string RedisProbeTarget::key_for(int bot_id) const {
  std::string key = key_template;
  const std::string id = std::to_string(bot_id);
  for (auto pos = key.find("{id}"); pos != std::string::npos; pos = key.find("{id}", pos)) {
    key.replace(pos, 4, id);
    pos += id.size();
  }
  return key;
}

std::string RedisProbeTarget::address() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RedisProbeTarget parse_redis_probe_target(const std::string& text) {
  RedisProbeTarget target;
  auto [host, rest] = split_host(text);
  target.host = host;

  auto slash = rest.find('/');
  if (slash == std::string::npos) {
    throw spec_error("expected '/KEY_TEMPLATE=VALUE' after the port, as in " + example);
  }
  target.port = parse_port(rest.substr(0, slash));

  std::string key_value = rest.substr(slash + 1);
  auto equals = key_value.find('=');
  if (equals == std::string::npos) {
    throw spec_error("expected KEY_TEMPLATE=VALUE after the '/', as in " + example);
  }
  target.key_template = key_value.substr(0, equals);
  target.expected = key_value.substr(equals + 1);
  if (target.key_template.empty()) throw spec_error("the key before '=' is empty");
  check_text(target.key_template, "key");
  check_text(target.expected, "value");
  check_placeholders(target.key_template);
  return target;
}

LoginReading RedisLoginProbe::check(int bot_id, const docker::ContainerInfo& container) {
  auto current = current_running_container(runtime_, container);
  if (auto* decided = std::get_if<LoginReading>(&current)) return *decided;

  const std::string key = target_.key_for(bot_id);
  const std::string where = "redis " + target_.address();
  SigpipeBlockedInThisThread no_sigpipe;

  std::unique_ptr<redisContext, ContextFree> context(
      redisConnectWithTimeout(target_.host.c_str(), target_.port, redis_timeout));
  if (!context) return {LoginState::unknown, "cannot reach " + where + ": out of memory"};
  if (context->err) {
    return {LoginState::unknown, "cannot reach " + where + ": " + context->errstr};
  }
  if (redisSetTimeout(context.get(), redis_timeout) != REDIS_OK) {
    return {LoginState::unknown, "cannot set a timeout on the connection to " + where};
  }

  std::unique_ptr<redisReply, ReplyFree> reply(
      static_cast<redisReply*>(redisCommand(context.get(), "GET %b", key.data(), key.size())));
  if (!reply) {
    std::string why = context->err ? context->errstr : "no reply";
    return {LoginState::unknown, where + " did not answer GET " + key + ": " + why};
  }
  switch (reply->type) {
    case REDIS_REPLY_NIL:
      return {LoginState::not_logged_in, "key " + key + " is not set in " + where};
    case REDIS_REPLY_STRING: {
      std::string value(reply->str, reply->len);
      if (value == target_.expected) {
        return {LoginState::logged_in, "key " + key + " is " + shown_value(reply->str, reply->len)};
      }
      return {LoginState::not_logged_in,
              "key " + key + " is " + shown_value(reply->str, reply->len) + ", expected " +
                  shown_value(target_.expected.data(), target_.expected.size())};
    }
    case REDIS_REPLY_ERROR:
      return {LoginState::unknown, where + " answered GET " + key + " with an error: " +
                                       printable_spec(std::string(reply->str, reply->len))};
    default:
      return {LoginState::unknown, where + " gave an unexpected reply type to GET " + key};
  }
}

}  // namespace drover::agent
