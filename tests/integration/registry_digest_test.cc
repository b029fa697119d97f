// resolve_digest against the real docker-registry of scripts/test-services.sh, and against
// small loopback stand-ins for what that registry never does: refuse connections, stay
// silent, want authentication, or send the digest only on GET.
#include "cli/registry/registry_digest.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/image_reference.h"
#include "core/input_error.h"
#include "support/test_env.h"
#include "util/http/curl_http_client.h"
#include "util/subprocess.h"

namespace drover::cli {
namespace {

using namespace std::chrono_literals;
using core::parse_image_reference;
using Clock = std::chrono::steady_clock;

const std::string kDigest = "sha256:" + std::string(64, 'b');

// The real client, as drover's main builds it.
HttpClient& http() {
  static CurlHttpClient client;
  return client;
}

ProcessResult docker_cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"docker"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions options;
  options.timeout = 5min;
  return PosixProcessRunner().run(argv, options);
}

// The InputError resolve_digest throws for `text`; fails the test when it resolves.
core::InputError refusal(const std::string& text, const RegistryOptions& options = {}) {
  try {
    const auto digest = resolve_digest(parse_image_reference(text), http(), options);
    ADD_FAILURE() << text << " resolved to " << digest;
  } catch (const core::InputError& e) {
    return e;
  }
  return core::InputError("-", "-", "-");
}

// A listening loopback socket on a free port. Without `answer` it never accepts: the
// kernel still completes connections, so a client waits for an answer that never comes.
// With `answer`, it serves one request per connection: answer(request line) is the whole
// response.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<std::string(const std::string&)> answer = nullptr) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 || listen(fd_, 8) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(address.sin_port);
    if (answer) thread_ = std::thread([this, answer] { serve(answer); });
  }
  ~LoopbackServer() {
    // shutdown wakes the accept() below; close alone would not.
    shutdown(fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }

  std::string domain() const { return "127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve(const std::function<std::string(const std::string&)>& answer) {
    for (;;) {
      const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = read(client, buffer, sizeof(buffer));
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      const std::string line = request.substr(0, request.find("\r\n"));
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(line);
      }
      const std::string response = answer(line);
      if (write(client, response.data(), response.size()) < 0) ADD_FAILURE() << "write failed";
      close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

class RegistryDigestIT : public ::testing::Test {
 protected:
  void SetUp() override {
    // Only an unreachable registry skips; any other refusal is for the tests to judge.
    try {
      resolve_digest(parse_image_reference(drover::testing::image("bot", "v1")), http());
    } catch (const core::InputError& e) {
      if (e.problem().find("unreachable") != std::string::npos) {
        GTEST_SKIP() << e.what() << " (scripts/test-services.sh starts the registry)";
      }
    }
  }
};

TEST_F(RegistryDigestIT, TagResolvesToTheDigestDockerRecords) {
  const std::string image = drover::testing::image("bot", "v1");
  ASSERT_EQ(docker_cli({"pull", "-q", image}).exit_code, 0);
  const auto ref = parse_image_reference(image);
  const std::string digest = resolve_digest(ref, http());
  EXPECT_TRUE(core::is_sha256_digest(digest)) << digest;

  // An image pushed under several names has one RepoDigest per repository, in no promised
  // order: the pinned reference must be among them.
  const auto inspect = docker_cli(
      {"image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", image});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find(ref.pinned(digest) + "\n"), std::string::npos)
      << ref.pinned(digest) << " not in\n"
      << inspect.out;
}

TEST_F(RegistryDigestIT, DifferentTagsOfDifferentImagesHaveDifferentDigests) {
  const auto v1 =
      resolve_digest(parse_image_reference(drover::testing::image("bot", "v1")), http());
  const auto v2 =
      resolve_digest(parse_image_reference(drover::testing::image("bot", "v2")), http());
  EXPECT_NE(v1, v2);
  EXPECT_EQ(v1, resolve_digest(parse_image_reference(drover::testing::image("bot", "v1")), http()));
}

TEST_F(RegistryDigestIT, MissingTagSaysSo) {
  const std::string repository = drover::testing::registry() + "/drover-test/bot";
  const auto error = refusal(repository + ":missing-v9");
  EXPECT_EQ(error.where(), "image " + repository + ":missing-v9");
  EXPECT_EQ(error.problem(), "tag missing-v9 does not exist in " + repository);
  EXPECT_EQ(error.fix(), "push it first or check the tag");
}

TEST_F(RegistryDigestIT, MissingRepositoryIsAMissingTagToo) {
  const std::string repository = drover::testing::registry() + "/drover-test/no-such-bot";
  EXPECT_EQ(refusal(repository + ":v1").problem(), "tag v1 does not exist in " + repository);
}

TEST(RegistryDigestNetwork, ClosedPortIsUnreachableAtOnce) {
  const auto start = Clock::now();
  const auto error = refusal("127.0.0.1:1/drover-test/bot:v1");
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(error.where(), "image 127.0.0.1:1/drover-test/bot:v1");
  EXPECT_TRUE(error.problem().starts_with("registry 127.0.0.1:1 is unreachable: ")) << error.what();
  // curl's own words say why: the connection was refused.
  EXPECT_NE(error.problem().find("onnect"), std::string::npos) << error.what();
  EXPECT_NE(error.fix().find("registry address"), std::string::npos) << error.what();
}

TEST(RegistryDigestNetwork, SilentRegistryTimesOut) {
  LoopbackServer silent;
  const auto start = Clock::now();
  const auto error = refusal(silent.domain() + "/bot:v1", RegistryOptions{.timeout = 300ms});
  EXPECT_LT(Clock::now() - start, 3s);
  EXPECT_EQ(error.problem(), "registry " + silent.domain() + " did not answer within 300 ms");
}

// A registry that wants credentials drover has none of (resolve_digest asks anonymously here):
// one line naming the registry and what to configure. The authenticated path is
// registry_auth_test.cc's, against a real htpasswd registry.
TEST(RegistryDigestNetwork, CredentialsWantedAndNoneFoundSaysWhatToConfigure) {
  LoopbackServer server([](const std::string&) {
    return "HTTP/1.1 401 Unauthorized\r\nWww-Authenticate: Basic realm=\"x\"\r\n"
           "Content-Length: 0\r\nConnection: close\r\n\r\n";
  });
  const auto error = refusal(server.domain() + "/team/bot:v1");
  EXPECT_EQ(error.problem(),
            "registry " + server.domain() + " wants credentials and drover found none for it")
      << error.what();
  EXPECT_NE(error.fix().find("docker login " + server.domain()), std::string::npos) << error.what();
}

// A Bearer challenge whose token service cannot be reached names the token service.
TEST(RegistryDigestNetwork, UnreachableTokenServiceIsNamed) {
  LoopbackServer server([](const std::string&) {
    return "HTTP/1.1 401 Unauthorized\r\n"
           "Www-Authenticate: Bearer realm=\"http://127.0.0.1:1/token\",service=\"x\"\r\n"
           "Content-Length: 0\r\nConnection: close\r\n\r\n";
  });
  const auto error = refusal(server.domain() + "/team/bot:v1");
  EXPECT_NE(error.problem().find("the token service of registry " + server.domain()),
            std::string::npos)
      << error.what();
  EXPECT_NE(error.problem().find("127.0.0.1:1/token"), std::string::npos) << error.what();
}

TEST(RegistryDigestNetwork, FallsBackToGetWhenHeadHasNoDigest) {
  LoopbackServer server([](const std::string& line) {
    const std::string body = "{}";
    std::ostringstream response;
    response << "HTTP/1.1 200 OK\r\nContent-Length: " << body.size() << "\r\n";
    if (line.starts_with("GET ")) response << "docker-content-digest: " << kDigest << "\r\n";
    response << "Connection: close\r\n\r\n";
    if (line.starts_with("GET ")) response << body;
    return response.str();
  });
  EXPECT_EQ(resolve_digest(parse_image_reference(server.domain() + "/team/bot:v1"), http()),
            kDigest);
  EXPECT_EQ(server.requests(),
            (std::vector<std::string>{"HEAD /v2/team/bot/manifests/v1 HTTP/1.1",
                                      "GET /v2/team/bot/manifests/v1 HTTP/1.1"}));
}

TEST(RegistryDigestNetwork, MalformedDigestHeaderIsRefused) {
  LoopbackServer server([](const std::string&) {
    return "HTTP/1.1 200 OK\r\nDocker-Content-Digest: sha256:ABC\r\nContent-Length: 0\r\n"
           "Connection: close\r\n\r\n";
  });
  const auto error = refusal(server.domain() + "/bot:v1");
  EXPECT_NE(error.problem().find("Docker-Content-Digest 'sha256:ABC'"), std::string::npos)
      << error.what();
}

}  // namespace
}  // namespace drover::cli
