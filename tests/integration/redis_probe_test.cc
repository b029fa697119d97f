// RedisLoginProbe against a real redis-server (scripts/test-services.sh starts one at
// drover::testing::redis_address(); for a manual run: redis-server --port 6390 --save ''
// --daemonize yes). Keys are namespaced by this process id and deleted after each test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "agent/login_probe.h"
#include "agent/redis_login_probe.h"
#include "support/test_env.h"

namespace drover::agent {
namespace {

using namespace std::chrono_literals;
using Stopwatch = std::chrono::steady_clock;

// The probe only needs to learn that the bot's container runs; everything else throws.
class RunningBotRuntime final : public docker::ContainerRuntime {
 public:
  std::optional<docker::ContainerInfo> inspect_container(const std::string& ref) override {
    docker::ContainerInfo info;
    info.id = ref;
    info.name = ref;
    info.state.status = "running";
    info.state.running = true;
    return info;
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
  std::vector<std::string> container_logs(const std::string&, int, std::int64_t) override {
    unused();
  }
  std::vector<docker::ContainerEvent> container_events(const std::string&, std::int64_t,
                                                       std::int64_t) override {
    unused();
  }
  docker::PruneResult prune_images() override { unused(); }
  bool remove_image_if_unused(const std::string&) override { unused(); }

 private:
  [[noreturn]] static void unused() {
    throw std::logic_error("the redis probe does not call this");
  }
};

docker::ContainerInfo bot_container(int bot_id) {
  docker::ContainerInfo info;
  info.id = "bot" + std::to_string(bot_id);
  info.name = info.id;
  info.state.running = true;
  return info;
}

// A socket bound to an ephemeral loopback port. listen() makes it a server that completes the
// TCP handshake (the kernel does) but never answers; not listening leaves the port closed.
class LoopbackPort {
 public:
  explicit LoopbackPort(bool listening) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        (listening && ::listen(fd_, 8) != 0)) {
      throw std::runtime_error("cannot set up a loopback socket");
    }
    port_ = ntohs(address.sin_port);
    if (!listening) {
      ::close(fd_);  // the port is now closed, and unlikely to be reused within the test
      fd_ = -1;
    }
  }
  ~LoopbackPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  int port_ = 0;
};

class RedisProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    address_ = testing::redis_address();
    auto colon = address_.rfind(':');
    host_ = address_.substr(0, colon);
    port_ = std::stoi(address_.substr(colon + 1));
    admin_ = redisConnectWithTimeout(host_.c_str(), port_, {2, 0});
    ASSERT_TRUE(admin_ && !admin_->err)
        << "no redis-server at " << address_
        << " (scripts/test-services.sh starts one; or redis-server --port 6390 --save '' "
           "--daemonize yes)";
    key_prefix_ = "drover-it-probe:" + std::to_string(::getpid()) + ":";
  }
  void TearDown() override {
    if (!admin_) return;
    for (const auto& key : keys_) command("DEL %s", key.c_str());
    redisFree(admin_);
  }

  void command(const char* format, const char* a, const char* b = nullptr) {
    auto* reply = static_cast<redisReply*>(redisCommand(admin_, format, a, b));
    ASSERT_NE(reply, nullptr) << admin_->errstr;
    freeReplyObject(reply);
  }
  std::string key(int bot_id) {
    keys_.push_back(key_prefix_ + "bot:" + std::to_string(bot_id) + ":login");
    return keys_.back();
  }
  std::unique_ptr<LoginProbe> probe(const std::string& address, const std::string& value = "ok") {
    return make_login_probe("redis:" + address + "/" + key_prefix_ + "bot:{id}:login=" + value,
                            runtime_);
  }

  std::string address_, host_, key_prefix_;
  int port_ = 0;
  redisContext* admin_ = nullptr;
  std::vector<std::string> keys_;
  RunningBotRuntime runtime_;
};

TEST_F(RedisProbe, KeyWithTheExpectedValueIsLoggedIn) {
  command("SET %s %s", key(539).c_str(), "ok");
  auto reading = probe(address_)->check(539, bot_container(539));
  EXPECT_EQ(reading.state, LoginState::logged_in) << reading.detail;
}

TEST_F(RedisProbe, MissingKeyIsNotLoggedIn) {
  key(540);
  auto reading = probe(address_)->check(540, bot_container(540));
  EXPECT_EQ(reading.state, LoginState::not_logged_in) << reading.detail;
  EXPECT_NE(reading.detail.find("is not set"), std::string::npos) << reading.detail;
}

TEST_F(RedisProbe, OtherValueIsNotLoggedIn) {
  command("SET %s %s", key(541).c_str(), "pending");
  auto reading = probe(address_)->check(541, bot_container(541));
  EXPECT_EQ(reading.state, LoginState::not_logged_in) << reading.detail;
  EXPECT_NE(reading.detail.find("'pending', expected 'ok'"), std::string::npos) << reading.detail;
}

TEST_F(RedisProbe, EachBotReadsItsOwnKey) {
  command("SET %s %s", key(542).c_str(), "ok");
  key(543);
  auto shared = probe(address_);
  EXPECT_EQ(shared->check(542, bot_container(542)).state, LoginState::logged_in);
  EXPECT_EQ(shared->check(543, bot_container(543)).state, LoginState::not_logged_in);
}

TEST_F(RedisProbe, KeyOfAnotherTypeIsUnknown) {
  command("RPUSH %s %s", key(544).c_str(), "ok");
  auto reading = probe(address_)->check(544, bot_container(544));
  EXPECT_EQ(reading.state, LoginState::unknown) << reading.detail;
  EXPECT_NE(reading.detail.find("WRONGTYPE"), std::string::npos) << reading.detail;
}

TEST_F(RedisProbe, ClosedPortIsUnknownQuickly) {
  LoopbackPort closed(false);
  auto started = Stopwatch::now();
  auto reading =
      probe("127.0.0.1:" + std::to_string(closed.port()))->check(545, bot_container(545));
  EXPECT_EQ(reading.state, LoginState::unknown);
  EXPECT_NE(reading.detail.find("cannot reach redis 127.0.0.1:"), std::string::npos)
      << reading.detail;
  EXPECT_LT(Stopwatch::now() - started, 1s);
}

TEST_F(RedisProbe, ServerThatNeverAnswersTimesOutAsUnknown) {
  LoopbackPort silent(true);
  auto started = Stopwatch::now();
  auto reading =
      probe("127.0.0.1:" + std::to_string(silent.port()))->check(546, bot_container(546));
  auto took = Stopwatch::now() - started;
  EXPECT_EQ(reading.state, LoginState::unknown);
  EXPECT_NE(reading.detail.find("did not answer GET"), std::string::npos) << reading.detail;
  EXPECT_GE(took, 1500ms);
  EXPECT_LT(took, 5s);
}

TEST_F(RedisProbe, ServerThatHangsUpIsUnknownAndDoesNotKillUs) {
  LoopbackPort rude(true);
  std::thread hang_up([&] {
    int client = ::accept(rude.fd(), nullptr, nullptr);
    if (client < 0) return;
    linger reset{1, 0};  // close with RST: the probe's write then fails with EPIPE
    ::setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(client);
  });
  auto reading = probe("127.0.0.1:" + std::to_string(rude.port()))->check(547, bot_container(547));
  hang_up.join();
  EXPECT_EQ(reading.state, LoginState::unknown) << reading.detail;
}

}  // namespace
}  // namespace drover::agent
