#include "agent/login_probe.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "agent/login_probe_health.h"
#include "agent/login_probe_log.h"
#include "agent/redis_login_probe.h"
#include "util/rfc3339.h"

namespace drover::agent {
namespace {

// Answers only what login probes ask (inspect, logs) from canned data, records the asking,
// and throws on anything else so a probe that strays from its job fails loudly.
class CannedRuntime final : public docker::ContainerRuntime {
 public:
  std::optional<docker::ContainerInfo> container;
  std::vector<std::string> log_lines;
  bool inspect_fails = false;
  bool logs_fail = false;
  std::vector<std::string> inspected;
  struct LogRequest {
    std::string id;
    int tail;
    std::int64_t since;
  };
  std::vector<LogRequest> log_requests;

  std::optional<docker::ContainerInfo> inspect_container(const std::string& ref) override {
    inspected.push_back(ref);
    if (inspect_fails) throw docker::RuntimeError(0, "cannot connect to the Docker daemon");
    return container;
  }
  std::vector<std::string> container_logs(const std::string& id, int tail,
                                          std::int64_t since_unix) override {
    log_requests.push_back({id, tail, since_unix});
    if (logs_fail) throw docker::RuntimeError(500, "log driver does not support reading");
    return log_lines;
  }

  void ping() override { unused(); }
  std::string data_root() override { unused(); }
  std::optional<docker::ImageInfo> inspect_image(const std::string&) override { unused(); }
  docker::ImageInfo pull_image(const std::string&, const std::string&) override { unused(); }
  std::string registry_manifest_digest(const std::string&, const std::string&) override {
    unused();
  }
  std::string create_container(const std::string&, const nlohmann::json&) override { unused(); }
  void start_container(const std::string&) override { unused(); }
  void stop_container(const std::string&, std::chrono::seconds) override { unused(); }
  void rename_container(const std::string&, const std::string&) override { unused(); }
  void remove_container(const std::string&) override { unused(); }
  std::vector<docker::ContainerEvent> container_events(const std::string&, std::int64_t,
                                                       std::int64_t) override {
    unused();
  }
  docker::PruneResult prune_images() override { unused(); }
  bool remove_image_if_unused(const std::string&) override { unused(); }

 private:
  [[noreturn]] static void unused() { throw std::logic_error("login probes do not call this"); }
};

docker::ContainerInfo running_bot(const std::string& health = "") {
  docker::ContainerInfo info;
  info.id = "c0ffee";
  info.name = "bot7";
  info.state.status = "running";
  info.state.running = true;
  info.state.health = health;
  info.state.started_at = "2026-06-12T09:41:07.123456789Z";
  return info;
}

std::string rejection(const std::string& spec) {
  CannedRuntime runtime;
  try {
    make_login_probe(spec, runtime);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  ADD_FAILURE() << "spec was accepted: " << spec;
  return "";
}

// ---- spec parsing ------------------------------------------------------------------------

TEST(LoginProbeSpec, BuildsEachKindOfProbe) {
  CannedRuntime runtime;
  EXPECT_NE(dynamic_cast<HealthLoginProbe*>(make_login_probe("health", runtime).get()), nullptr);
  EXPECT_NE(dynamic_cast<LogLoginProbe*>(make_login_probe("log:Logged in as \\S+", runtime).get()),
            nullptr);
  auto redis = make_login_probe("redis:127.0.0.1:6379/bot:{id}:login=ok", runtime);
  auto* redis_probe = dynamic_cast<RedisLoginProbe*>(redis.get());
  ASSERT_NE(redis_probe, nullptr);
  EXPECT_EQ(redis_probe->target().host, "127.0.0.1");
  EXPECT_EQ(redis_probe->target().port, 6379);
  EXPECT_EQ(redis_probe->target().key_template, "bot:{id}:login");
  EXPECT_EQ(redis_probe->target().expected, "ok");
}

TEST(LoginProbeSpec, StateNamesAreTheJsonSpelling) {
  EXPECT_EQ(to_string(LoginState::logged_in), "logged_in");
  EXPECT_EQ(to_string(LoginState::not_logged_in), "not_logged_in");
  EXPECT_EQ(to_string(LoginState::unknown), "unknown");
}

TEST(LoginProbeSpec, UnknownKindsListTheAcceptedForms) {
  for (std::string spec : {"", "Health", "healthy", "docker", "log", "redis", "http://x"}) {
    auto message = rejection(spec);
    EXPECT_NE(message.find("accepted forms"), std::string::npos) << spec << ": " << message;
    EXPECT_NE(message.find("redis:HOST:PORT/KEY_TEMPLATE=VALUE"), std::string::npos) << message;
  }
}

TEST(LoginProbeSpec, InvalidRegexIsRejectedWhenParsed) {
  auto message = rejection("log:(unclosed");
  EXPECT_NE(message.find("not a valid ECMAScript regular expression"), std::string::npos)
      << message;
  EXPECT_NE(rejection("log:").find("needs a regular expression"), std::string::npos);
  EXPECT_NE(rejection("log:" + std::string(5000, 'a')).find("longer than"), std::string::npos);
}

TEST(LoginProbeSpec, HostileTextIsEscapedAndCutInMessages) {
  auto message = rejection("\x1b[2J\x1b]0;pwned\x07" + std::string(1000, 'x'));
  EXPECT_EQ(message.find('\x1b'), std::string::npos);
  EXPECT_EQ(message.find('\x07'), std::string::npos);
  EXPECT_NE(message.find("\\x1b[2J"), std::string::npos);
  EXPECT_LT(message.size(), 1000u);
}

TEST(RedisProbeTarget, AcceptsAddressesItCanReachWithoutAResolver) {
  auto v4 = parse_redis_probe_target("10.0.3.17:6380/bot:{id}:login=ok");
  EXPECT_EQ(v4.host, "10.0.3.17");
  EXPECT_EQ(v4.port, 6380);
  EXPECT_EQ(v4.address(), "10.0.3.17:6380");

  auto v6 = parse_redis_probe_target("[::1]:6379/bot:{id}:login=ok");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.address(), "[::1]:6379");

  EXPECT_EQ(parse_redis_probe_target("localhost:6379/k{id}=1").host, "127.0.0.1");
  EXPECT_EQ(parse_redis_probe_target("LocalHost:6379/k{id}=1").host, "127.0.0.1");
}

TEST(RedisProbeTarget, ValueMayContainEqualsOrBeEmpty) {
  EXPECT_EQ(parse_redis_probe_target("127.0.0.1:1/k:{id}=a=b").expected, "a=b");
  EXPECT_EQ(parse_redis_probe_target("127.0.0.1:1/k:{id}=").expected, "");
}

TEST(RedisProbeTarget, KeyTemplateReplacesEveryId) {
  auto target = parse_redis_probe_target("127.0.0.1:6379/bot:{id}:login:{id}=ok");
  EXPECT_EQ(target.key_for(539), "bot:539:login:539");
}

TEST(RedisProbeTarget, HostNamesAreRefusedWithTheReason) {
  for (std::string host : {"redis.internal", "redis", "user:pw@10.0.0.1", "10.0.0", "999.1.1.1",
                           "10.0.0.1 ", "0x7f.0.0.1"}) {
    try {
      parse_redis_probe_target(host + ":6379/bot:{id}:login=ok");
      ADD_FAILURE() << "accepted host " << host;
    } catch (const std::invalid_argument& e) {
      std::string message = e.what();
      bool explains = message.find("static binary") != std::string::npos &&
                      message.find("IPv4 address") != std::string::npos;
      bool malformed = message.find("host is empty or contains ':'") != std::string::npos;
      EXPECT_TRUE(explains || malformed) << host << ": " << message;
    }
  }
  std::string message = rejection("redis:redis.internal:6379/bot:{id}:login=ok");
  EXPECT_NE(message.find("does not use the system resolver"), std::string::npos) << message;
}

TEST(RedisProbeTarget, MalformedSpecsSayWhatIsWrong) {
  struct Case {
    std::string text;
    std::string says;
  };
  std::vector<Case> cases = {
      {"::1:6379/k{id}=ok", "IPv6 address goes in brackets"},
      {"[::1:6379/k{id}=ok", "no ']' closes it"},
      {"[example.com]:6379/k{id}=ok", "is not an IPv6 address"},
      {"[::1]6379/k{id}=ok", "expected ':PORT'"},
      {"127.0.0.1/k{id}=ok", "expected HOST:PORT"},
      {"127.0.0.1:0/k{id}=ok", "not a number from 1 to 65535"},
      {"127.0.0.1:65536/k{id}=ok", "not a number from 1 to 65535"},
      {"127.0.0.1:-1/k{id}=ok", "not a number from 1 to 65535"},
      {"127.0.0.1:63790000000/k{id}=ok", "not a number from 1 to 65535"},
      {"127.0.0.1:/k{id}=ok", "not a number from 1 to 65535"},
      {"127.0.0.1:6379", "expected '/KEY_TEMPLATE=VALUE'"},
      {"127.0.0.1:6379/bot:{id}:login", "expected KEY_TEMPLATE=VALUE"},
      {"127.0.0.1:6379/=ok", "the key before '=' is empty"},
      {"127.0.0.1:6379/bot:login=ok", "must contain {id}"},
      {"127.0.0.1:6379/bot:{ID}:login=ok", "unknown placeholder '{ID}'"},
      {"127.0.0.1:6379/bot:{bot_id}=ok", "unknown placeholder '{bot_id}'"},
      {"127.0.0.1:6379/bot:{id}\r\nFLUSHALL=ok", "control character"},
      {"127.0.0.1:6379/bot:{id}=ok\n", "control character"},
      {"127.0.0.1:6379/bot:{id}" + std::string(600, 'k') + "=ok", "longer than"},
  };
  for (const auto& c : cases) {
    try {
      parse_redis_probe_target(c.text);
      ADD_FAILURE() << "accepted " << c.text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos)
          << c.text << " → " << e.what();
    }
  }
}

// ---- RFC 3339 ----------------------------------------------------------------------------

TEST(Rfc3339, ParsesDockerTimestamps) {
  EXPECT_EQ(parse_rfc3339_unix_seconds("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T09:41:07Z"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T09:41:07.123456789Z"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T09:41:07.9Z"), 1781257267);  // rounds down
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12t09:41:07z"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12 09:41:07Z"), 1781257267);
}

TEST(Rfc3339, AppliesOffsets) {
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T11:41:07+02:00"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T04:11:07.5-05:30"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T09:41:07+00:00"), 1781257267);
  EXPECT_EQ(parse_rfc3339_unix_seconds("2026-06-12T09:41:07-00:00"), 1781257267);
}

TEST(Rfc3339, HandlesCalendarEdges) {
  EXPECT_TRUE(parse_rfc3339_unix_seconds("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_unix_seconds("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_unix_seconds("2026-04-31T00:00:00Z"));
  EXPECT_EQ(parse_rfc3339_unix_seconds("2016-12-31T23:59:60Z"), 1483228800);
  // Docker's "never started" value.
  EXPECT_EQ(parse_rfc3339_unix_seconds("0001-01-01T00:00:00Z"), -62135596800);
  // Nanoseconds, for the settle proof: every fractional digit up to the ninth counts.
  EXPECT_EQ(parse_rfc3339_unix_nanos("2026-06-12T09:41:07.123456789Z"), 1781257267123456789);
  EXPECT_EQ(parse_rfc3339_unix_nanos("2026-06-12T09:41:07.5Z"), 1781257267500000000);
  EXPECT_EQ(parse_rfc3339_unix_nanos("2026-06-12T09:41:07.1234567891Z"), 1781257267123456789);
  EXPECT_EQ(parse_rfc3339_unix_nanos("2026-06-12T11:41:07.25+02:00"), 1781257267250000000);
  EXPECT_EQ(parse_rfc3339_unix_nanos("2026-06-12T09:41:07Z"), 1781257267000000000);
  // Docker's "never" does not fit nanoseconds since 1970 in 64 bits: no time, not garbage.
  EXPECT_FALSE(parse_rfc3339_unix_nanos("0001-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339_unix_nanos("not a time"));
}

TEST(Rfc3339, RejectsMalformedText) {
  for (std::string text : {"",
                           "2026-06-12",
                           "2026-06-12T09:41:07",
                           "2026-06-12T09:41:07.Z",
                           "2026-13-01T00:00:00Z",
                           "2026-00-01T00:00:00Z",
                           "2026-06-00T00:00:00Z",
                           "2026-06-12T24:00:00Z",
                           "2026-06-12T09:60:00Z",
                           "2026-06-12T09:41:61Z",
                           "2026-06-12T09:41:07Zjunk",
                           "2026-06-12T09:41:07+0200",
                           "2026-06-12T09:41:07+24:00",
                           "2026-06-12T09:41:07+02:60",
                           "2026-6-12T09:41:07Z",
                           "2026-06-12X09:41:07Z",
                           "2026/06/12T09:41:07Z",
                           " 2026-06-12T09:41:07Z",
                           "2026-06-12T09:41:07 Z",
                           "+2026-06-12T09:41:07Z",
                           "2026-06-12T09:41:07.12a3Z"}) {
    EXPECT_FALSE(parse_rfc3339_unix_seconds(text)) << text;
  }
}

// ---- health ------------------------------------------------------------------------------

LoginReading health_reading(CannedRuntime& runtime, const docker::ContainerInfo& asked) {
  return make_login_probe("health", runtime)->check(7, asked);
}

TEST(HealthLoginProbe, MapsDockerHealthToLoginState) {
  CannedRuntime runtime;
  runtime.container = running_bot("healthy");
  EXPECT_EQ(health_reading(runtime, running_bot()).state, LoginState::logged_in);
  runtime.container = running_bot("starting");
  EXPECT_EQ(health_reading(runtime, running_bot()).state, LoginState::not_logged_in);
  runtime.container = running_bot("unhealthy");
  EXPECT_EQ(health_reading(runtime, running_bot()).state, LoginState::not_logged_in);
  runtime.container = running_bot("");
  auto none = health_reading(runtime, running_bot());
  EXPECT_EQ(none.state, LoginState::unknown);
  EXPECT_EQ(none.detail, "image has no HEALTHCHECK");
}

TEST(HealthLoginProbe, JudgesTheCurrentStateNotTheCallersSnapshot) {
  CannedRuntime runtime;
  runtime.container = running_bot("healthy");
  EXPECT_EQ(health_reading(runtime, running_bot("starting")).state, LoginState::logged_in);
  EXPECT_EQ(runtime.inspected, std::vector<std::string>{"c0ffee"});
}

TEST(HealthLoginProbe, MissingOrStoppedContainerIsNotLoggedIn) {
  CannedRuntime runtime;
  auto no_container = health_reading(runtime, docker::ContainerInfo{});
  EXPECT_EQ(no_container.state, LoginState::not_logged_in);
  EXPECT_EQ(no_container.detail, "the bot has no container");
  EXPECT_TRUE(runtime.inspected.empty());

  auto gone = health_reading(runtime, running_bot());  // runtime.container is nullopt
  EXPECT_EQ(gone.state, LoginState::not_logged_in);
  EXPECT_NE(gone.detail.find("no longer exists"), std::string::npos);

  auto exited = running_bot("healthy");
  exited.state.running = false;
  exited.state.status = "exited";
  exited.state.exit_code = 137;
  runtime.container = exited;
  auto stopped = health_reading(runtime, running_bot());
  EXPECT_EQ(stopped.state, LoginState::not_logged_in);
  EXPECT_EQ(stopped.detail, "container bot7 is exited (exit code 137)");

  auto restarting = running_bot("healthy");
  restarting.state.restarting = true;
  restarting.state.status = "restarting";
  runtime.container = restarting;
  EXPECT_EQ(health_reading(runtime, running_bot()).state, LoginState::not_logged_in);
}

TEST(HealthLoginProbe, EngineFailureIsUnknownNotAnException) {
  CannedRuntime runtime;
  runtime.inspect_fails = true;
  auto reading = health_reading(runtime, running_bot());
  EXPECT_EQ(reading.state, LoginState::unknown);
  EXPECT_NE(reading.detail.find("cannot connect to the Docker daemon"), std::string::npos);
}

// ---- log ---------------------------------------------------------------------------------

TEST(LogLoginProbe, LoggedInWhenALineSinceStartMatches) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.log_lines = {"starting bot 7\n", "connecting to steam\r\n",
                       "Logged into Steam as trader_7\n"};
  auto probe = make_login_probe("log:Logged into Steam as \\w+", runtime);
  auto reading = probe->check(7, running_bot());
  EXPECT_EQ(reading.state, LoginState::logged_in) << reading.detail;
  ASSERT_EQ(runtime.log_requests.size(), 1u);
  EXPECT_EQ(runtime.log_requests[0].id, "c0ffee");
  EXPECT_EQ(runtime.log_requests[0].tail, 0);
  EXPECT_EQ(runtime.log_requests[0].since, 1781257267);  // State.StartedAt, rounded down
}

TEST(LogLoginProbe, NotLoggedInWhenNothingMatches) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.log_lines = {"starting bot 7", "steam: rate limited, retrying"};
  auto reading = make_login_probe("log:^Logged into Steam$", runtime)->check(7, running_bot());
  EXPECT_EQ(reading.state, LoginState::not_logged_in);
  EXPECT_NE(reading.detail.find("2 lines"), std::string::npos) << reading.detail;
}

TEST(LogLoginProbe, AnchorsApplyToTheLineWithoutItsNewline) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.log_lines = {"ready\r\n"};
  EXPECT_EQ(make_login_probe("log:^ready$", runtime)->check(7, running_bot()).state,
            LoginState::logged_in);
}

TEST(LogLoginProbe, FailuresAreUnknown) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.logs_fail = true;
  auto probe = make_login_probe("log:ready", runtime);
  auto unreadable = probe->check(7, running_bot());
  EXPECT_EQ(unreadable.state, LoginState::unknown);
  EXPECT_NE(unreadable.detail.find("does not support reading"), std::string::npos);

  runtime.logs_fail = false;
  runtime.container->state.started_at = "yesterday";
  auto no_start = probe->check(7, running_bot());
  EXPECT_EQ(no_start.state, LoginState::unknown);
  EXPECT_NE(no_start.detail.find("start time"), std::string::npos);
}

TEST(LogLoginProbe, StoppedContainerIsNotLoggedInAndItsLogIsNotRead) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.container->state.running = false;
  runtime.container->state.status = "exited";
  runtime.log_lines = {"Logged into Steam"};
  auto reading = make_login_probe("log:Logged", runtime)->check(7, running_bot());
  EXPECT_EQ(reading.state, LoginState::not_logged_in);
  EXPECT_TRUE(runtime.log_requests.empty());
}

TEST(LogLoginProbe, HugeLinesAreSearchedOnlyInTheirFirstKilobytes) {
  CannedRuntime runtime;
  runtime.container = running_bot();
  runtime.log_lines = {std::string(1 << 20, 'a') + "ready"};
  auto probe = make_login_probe("log:^(a|b)*ready", runtime);
  auto reading = probe->check(7, running_bot());  // must return, not overflow the stack
  EXPECT_EQ(reading.state, LoginState::not_logged_in);
  runtime.log_lines = {"abready" + std::string(1 << 20, 'a')};
  EXPECT_EQ(probe->check(7, running_bot()).state, LoginState::logged_in);
}

// ---- redis (no network needed when the container already decides) ------------------------

TEST(RedisLoginProbe, StoppedContainerIsNotLoggedInWithoutAskingRedis) {
  CannedRuntime runtime;  // no container: gone since the caller looked
  auto probe = make_login_probe("redis:127.0.0.1:1/bot:{id}:login=ok", runtime);
  auto reading = probe->check(7, running_bot());
  EXPECT_EQ(reading.state, LoginState::not_logged_in);
  EXPECT_NE(reading.detail.find("no longer exists"), std::string::npos);
}

}  // namespace
}  // namespace drover::agent
