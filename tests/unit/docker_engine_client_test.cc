// The HTTP side of the engine client against a scripted server on a unix socket in a temp
// dir: request format, body streaming without a size limit, error mapping, timeouts.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "docker/engine_client.h"

namespace drover::docker {
namespace {

// Serves exactly one connection: reads the request, waits `silence`, writes `response`.
class ScriptedEngine {
 public:
  explicit ScriptedEngine(std::string response,
                          std::chrono::milliseconds silence = std::chrono::milliseconds(0))
      : response_(std::move(response)), silence_(silence) {
    char dir_template[] = "/tmp/drover-docker-test-XXXXXX";
    dir_ = mkdtemp(dir_template);
    path_ = dir_ + "/docker.sock";
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        listen(listener_, 1) != 0) {
      ADD_FAILURE() << "cannot listen on " << path_;
    }
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedEngine() {
    shutdown(listener_, SHUT_RDWR);  // wakes accept() when a test never connected
    if (thread_.joinable()) thread_.join();
    close(listener_);
    std::filesystem::remove_all(dir_);
  }
  const std::string& socket_path() const { return path_; }
  /// What the client sent; call after the client's request returned.
  std::string request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  void serve() {
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    char buffer[4096];
    for (;;) {
      const auto header_end = request_.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        const auto length_at = request_.find("Content-Length: ");
        const std::size_t length =
            length_at == std::string::npos ? 0 : std::stoul(request_.substr(length_at + 16));
        if (request_.size() >= header_end + 4 + length) break;
      }
      const auto n = read(connection, buffer, sizeof(buffer));
      if (n <= 0) break;
      request_.append(buffer, static_cast<std::size_t>(n));
    }
    std::this_thread::sleep_for(silence_);
    for (std::size_t at = 0; at < response_.size();) {
      const auto n = send(connection, response_.data() + at, response_.size() - at, MSG_NOSIGNAL);
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    close(connection);
  }

  std::string response_;
  std::chrono::milliseconds silence_;
  std::string dir_;
  std::string path_;
  int listener_ = -1;
  std::string request_;
  std::thread thread_;
};

std::string reply(const std::string& status_line, const std::string& body,
                  const std::string& content_type = "application/json") {
  return "HTTP/1.1 " + status_line + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string chunked_reply(const std::string& body, std::size_t chunk) {
  std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const auto piece = body.substr(at, chunk);
    char size[32];
    std::snprintf(size, sizeof(size), "%zx\r\n", piece.size());
    out += size + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

EngineRequest request_for(const Endpoint& endpoint, std::string param = {}) {
  EngineRequest request;
  request.endpoint = endpoint;
  request.param = std::move(param);
  return request;
}

TEST(DockerEngineClient, SendsTheEncodedTargetAndAJsonBody) {
  ScriptedEngine engine(reply("201 Created", R"({"Id":"c0ffee","Warnings":[]})"));
  EngineClient client(engine.socket_path());
  auto request = request_for(endpoints::kContainerCreate);
  request.query.add("name", "bot7 &x=/..");
  request.body = nlohmann::json{{"Image", "busybox"}};
  const auto response = client.send(request);
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.body, R"({"Id":"c0ffee","Warnings":[]})");
  const auto sent = engine.request();
  EXPECT_EQ(sent.rfind("POST /v1.41/containers/create?name=bot7%20%26x%3D%2F.. HTTP/1.1\r\n", 0),
            0u)
      << sent;
  EXPECT_NE(sent.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(sent.find("\r\n\r\n{\"Image\":\"busybox\"}"), std::string::npos);
}

TEST(DockerEngineClient, StreamsABodyLargerThanAnyDefaultLimit) {
  std::string body(20 * 1024 * 1024, 'x');
  for (std::size_t i = 0; i < body.size(); i += 4099) body[i] = static_cast<char>('a' + i % 26);
  ScriptedEngine engine(chunked_reply(body, 1 << 20));
  EngineClient client(engine.socket_path());
  std::string streamed;
  std::size_t pieces = 0;
  client.send(request_for(endpoints::kContainerLogs, "bot7"), [&](std::string_view chunk) {
    streamed.append(chunk);
    ++pieces;
  });
  EXPECT_EQ(streamed, body);
  EXPECT_GT(pieces, 1u);  // it arrived piece by piece, not buffered whole
}

TEST(DockerEngineClient, CollectsALargeBodyWithoutASink) {
  const std::string body(9 * 1024 * 1024, 'y');  // over Beast's 8 MiB default
  ScriptedEngine engine(reply("200 OK", body, "text/plain"));
  EXPECT_EQ(EngineClient(engine.socket_path()).send(request_for(endpoints::kInfo)).body, body);
}

TEST(DockerEngineClient, TurnsAnErrorResponseIntoRuntimeError) {
  ScriptedEngine engine(reply("404 Not Found", "{\"message\":\"No such container: bot7\"}\n"));
  EngineClient client(engine.socket_path());
  bool streamed = false;
  try {
    client.send(request_for(endpoints::kContainerLogs, "bot7"),
                [&](std::string_view) { streamed = true; });
    FAIL() << "no exception";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_STREQ(e.what(), "No such container: bot7");
  }
  EXPECT_FALSE(streamed);  // an error body is a message, not data
}

TEST(DockerEngineClient, NotModifiedIsSuccess) {
  ScriptedEngine engine("HTTP/1.1 304 Not Modified\r\n\r\n");
  EXPECT_EQ(EngineClient(engine.socket_path())
                .send(request_for(endpoints::kContainerStop, "bot7"))
                .status,
            304u);
}

TEST(DockerEngineClient, AnAbsentEngineIsUnreachableWithAFix) {
  const std::string path = "/tmp/drover-docker-test-no-such-dir/docker.sock";
  try {
    EngineClient(path).send(request_for(endpoints::kPing));
    FAIL() << "no exception";
  } catch (const RuntimeError& e) {
    EXPECT_TRUE(e.unreachable());
    EXPECT_EQ(std::string(e.what()), "cannot reach the Docker engine at " + path +
                                         ": No such file or directory (is dockerd running? set "
                                         "DOCKER_HOST=unix://PATH to use another socket)");
  }
}

TEST(DockerEngineClient, ASilentEngineTimesOut) {
  ScriptedEngine engine(reply("200 OK", "OK"), std::chrono::milliseconds(2500));
  auto request = request_for(endpoints::kPing);
  request.idle_timeout = std::chrono::seconds(1);
  try {
    EngineClient(engine.socket_path()).send(request);
    FAIL() << "no exception";
  } catch (const RuntimeError& e) {
    EXPECT_TRUE(e.unreachable());
    EXPECT_NE(std::string(e.what()).find("did not answer GET /_ping within 1 s"), std::string::npos)
        << e.what();
  }
}

TEST(DockerEngineClient, ARefusedParameterNeverReachesTheEngine) {
  try {
    EngineClient("/nonexistent.sock").send(request_for(endpoints::kContainerStart, ""));
    FAIL() << "no exception";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(DockerHost, DefaultsToTheStandardSocket) {
  EXPECT_EQ(docker_socket_path(nullptr), "/var/run/docker.sock");
  EXPECT_EQ(docker_socket_path(""), "/var/run/docker.sock");
  EXPECT_EQ(docker_socket_path("unix:///run/user/1000/docker.sock"), "/run/user/1000/docker.sock");
}

TEST(DockerHost, RefusesOtherSchemesWithoutEchoingTheAddress) {
  for (const char* host : {"tcp://admin:s3cret@10.0.0.1:2376", "ssh://admin:s3cret@bot-host",
                           "npipe:////./pipe/docker_engine", "s3cret-host:2375", "unix://"}) {
    SCOPED_TRACE(host);
    try {
      docker_socket_path(host);
      FAIL() << "no exception";
    } catch (const RuntimeError& e) {
      EXPECT_TRUE(e.unreachable());
      EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("unix://"), std::string::npos) << e.what();
    }
  }
}

TEST(DockerEngineError, UsesTheErrorResponseMessage) {
  EXPECT_EQ(engine_error_message(404, "{\"message\":\"No such image: bot:v9\"}\n"),
            "No such image: bot:v9");
  EXPECT_EQ(engine_error_message(
                409, R"({"message":"Conflict. The container name \"/bot7\" is already in use"})"),
            "Conflict. The container name \"/bot7\" is already in use");
}

TEST(DockerEngineError, FallsBackToTheTextOrTheStatus) {
  EXPECT_EQ(engine_error_message(404, "404 page not found\n"), "404 page not found");
  EXPECT_EQ(engine_error_message(500, R"({"error":"x"})"), R"({"error":"x"})");
  EXPECT_EQ(engine_error_message(502, ""), "HTTP 502 Bad Gateway");
  EXPECT_EQ(engine_error_message(500, std::string(2000, 'z')).size(), 500u);
}

}  // namespace
}  // namespace drover::docker
