// CurlHttpClient against a real HTTP/1.1 server on 127.0.0.1, started inside the test with
// plain sockets: real connections, real timeouts, a real proxy hop.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "util/http/curl_http_client.h"

namespace drover {
namespace {

struct ReceivedRequest {
  std::string request_line;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string http_response(int status, const std::string& body,
                          const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// One connection at a time: read one request, answer with what the handler returns, close.
class LocalHttpServer {
 public:
  using Handler = std::function<std::string(const ReceivedRequest&)>;

  explicit LocalHttpServer(Handler handler) : handler_(std::move(handler)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 64) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("test server could not listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LocalHttpServer() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd ready{listener_, POLLIN, 0};
      if (::poll(&ready, 1, 50) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      if (auto request = read_request(connection)) {
        {
          std::lock_guard lock(mutex_);
          requests_.push_back(*request);
        }
        const std::string response = handler_(*request);
        std::size_t sent = 0;
        while (sent < response.size()) {
          // MSG_NOSIGNAL: a client that gave up must not kill the test binary with SIGPIPE.
          const ssize_t n =
              ::send(connection, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
          if (n <= 0) break;
          sent += static_cast<std::size_t>(n);
        }
      }
      ::close(connection);
    }
  }

  static std::optional<ReceivedRequest> read_request(int connection) {
    std::string data;
    char buffer[4096];
    std::size_t header_end;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) return std::nullopt;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    ReceivedRequest request;
    std::size_t line_start = 0;
    bool first = true;
    while (line_start < header_end) {
      const std::size_t line_end = data.find("\r\n", line_start);
      const std::string line = data.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      if (first) {
        request.request_line = line;
        first = false;
        continue;
      }
      const auto colon = line.find(':');
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers[lower(line.substr(0, colon))] = value;
    }
    const auto length_header = request.headers.find("content-length");
    const std::size_t length =
        length_header == request.headers.end() ? 0 : std::stoul(length_header->second);
    request.body = data.substr(header_end + 4);
    while (request.body.size() < length) {
      const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      request.body.append(buffer, static_cast<std::size_t>(n));
    }
    return request;
  }

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
};

// Proxy variables on the machine running the tests would send these requests elsewhere; each
// test starts without them and restores them afterwards.
class CurlHttpClientTest : public ::testing::Test {
 protected:
  static constexpr const char* kProxyVariables[] = {
      "http_proxy", "https_proxy", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"};
  void SetUp() override {
    for (const char* name : kProxyVariables) {
      if (const char* value = std::getenv(name)) saved_[name] = value;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : kProxyVariables) ::unsetenv(name);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::string> saved_;
};

std::optional<std::string> header(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return std::nullopt;
}

TEST_F(CurlHttpClientTest, GetReturnsStatusBodyAndLowerCasedHeaders) {
  LocalHttpServer server([](const ReceivedRequest&) {
    return http_response(200, "hello",
                         "X-Amzn-RequestId: abc-123\r\nContent-Type: text/plain\r\n"
                         "DOCKER-CONTENT-DIGEST: \t sha256:abc \r\n");
  });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.url("/path?x=1");
  const HttpResponse response = client.send(request);

  EXPECT_EQ(response.transport_error, "");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(header(response, "x-amzn-requestid"), "abc-123");
  EXPECT_EQ(header(response, "content-type"), "text/plain");
  EXPECT_EQ(header(response, "docker-content-digest"), "sha256:abc");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].request_line, "GET /path?x=1 HTTP/1.1");
}

TEST_F(CurlHttpClientTest, PostSendsBodyAndHeadersAsGiven) {
  LocalHttpServer server([](const ReceivedRequest&) { return http_response(400, "{\"a\":1}"); });
  CurlHttpClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/");
  request.headers = {{"Host", "ssm.eu-west-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "AmazonSSM.SendCommand"},
                     {"X-Empty", ""}};
  request.body = std::string(200000, 'x');  // large enough that libcurl would ask to Expect
  const HttpResponse response = client.send(request);

  EXPECT_EQ(response.transport_error, "");
  EXPECT_EQ(response.status, 400);  // an HTTP error status is an answer, not a transport error
  EXPECT_EQ(response.body, "{\"a\":1}");
  const std::vector<ReceivedRequest> all_received = server.requests();
  ASSERT_EQ(all_received.size(), 1u);
  const ReceivedRequest& received = all_received[0];
  EXPECT_EQ(received.request_line, "POST / HTTP/1.1");
  EXPECT_EQ(received.headers.at("host"), "ssm.eu-west-1.amazonaws.com");
  EXPECT_EQ(received.headers.at("content-type"), "application/x-amz-json-1.1");
  EXPECT_EQ(received.headers.at("x-amz-target"), "AmazonSSM.SendCommand");
  EXPECT_EQ(received.headers.count("x-empty"), 1u);
  EXPECT_EQ(received.headers.count("expect"), 0u);
  EXPECT_EQ(received.body, request.body);
}

TEST_F(CurlHttpClientTest, EmptyPostSendsZeroContentLength) {
  LocalHttpServer server([](const ReceivedRequest&) { return http_response(200, ""); });
  CurlHttpClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = server.url("/");
  EXPECT_EQ(client.send(request).status, 200);
  EXPECT_EQ(server.requests().at(0).headers.at("content-length"), "0");
}

TEST_F(CurlHttpClientTest, BodyOverTheCapIsATransportError) {
  LocalHttpServer server(
      [](const ReceivedRequest&) { return http_response(200, std::string(300000, 'b')); });
  CurlHttpClient client(CurlHttpClientOptions{.max_response_bytes = 100000});
  HttpRequest request;
  request.url = server.url("/big");
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.body, "");
  EXPECT_NE(response.transport_error.find("exceeds the 100000-byte limit"), std::string::npos)
      << response.transport_error;
  EXPECT_EQ(response.failure, HttpFailure::too_large);
}

TEST_F(CurlHttpClientTest, HeadersWithoutEndAreATransportError) {
  std::string headers;
  for (int i = 0; i < 20000; ++i) headers += "X-Filler-" + std::to_string(i) + ": abcdefghij\r\n";
  LocalHttpServer server([&](const ReceivedRequest&) { return http_response(200, "ok", headers); });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.url("/many-headers");
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.headers.empty());
  EXPECT_NE(response.transport_error.find("the response headers exceed 256 KiB"), std::string::npos)
      << response.transport_error;
  EXPECT_EQ(response.failure, HttpFailure::too_large);
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsATransportErrorNotAnException) {
  int port = 0;
  {  // a port that was just free and is now closed
    LocalHttpServer server([](const ReceivedRequest&) { return std::string(); });
    port = server.port();
  }
  CurlHttpClient client;
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  HttpResponse response;
  EXPECT_NO_THROW(response = client.send(request));
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error, "");
  EXPECT_NE(response.transport_error.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(response.failure, HttpFailure::cannot_connect);
}

TEST_F(CurlHttpClientTest, SlowAnswerHitsTheRequestTimeout) {
  LocalHttpServer server([](const ReceivedRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return http_response(200, "late");
  });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.url("/slow");
  request.timeout = std::chrono::milliseconds(150);
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse response = client.send(request);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(550));
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error.find("imeout"), std::string::npos) << response.transport_error;
  EXPECT_EQ(response.failure, HttpFailure::timed_out);
}

TEST_F(CurlHttpClientTest, UnsupportedSchemeIsATransportError) {
  CurlHttpClient client;
  HttpRequest request;
  request.url = "file:///etc/passwd";
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error, "");
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.failure, HttpFailure::other);
}

TEST_F(CurlHttpClientTest, ConcurrentSendsEachGetTheirOwnAnswer) {
  LocalHttpServer server([](const ReceivedRequest& request) {
    return http_response(200,
                         request.request_line.substr(4, request.request_line.find(' ', 4) - 4));
  });
  CurlHttpClient client;
  constexpr int kThreads = 6;
  constexpr int kPerThread = 5;
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        HttpRequest request;
        const std::string path = "/t" + std::to_string(t) + "/r" + std::to_string(i);
        request.url = server.url(path);
        const HttpResponse response = client.send(request);
        if (response.status == 200 && response.body == path) ++correct;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(correct.load(), kThreads * kPerThread);
}

// libcurl reads http_proxy itself (the client sets no proxy): the request reaches the proxy in
// absolute form, which is how a forward proxy sees it.
TEST_F(CurlHttpClientTest, HttpProxyFromTheEnvironmentIsUsed) {
  LocalHttpServer proxy([](const ReceivedRequest&) { return http_response(200, "via proxy"); });
  ::setenv("http_proxy", proxy.url("").c_str(), 1);
  CurlHttpClient client;
  HttpRequest request;
  request.url = "http://ssm.drover-test.invalid/";
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.body, "via proxy") << response.transport_error;
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].request_line, "GET http://ssm.drover-test.invalid/ HTTP/1.1");
}

// For https:// URLs libcurl asks the proxy for a CONNECT tunnel; this proxy refuses it, which
// proves HTTPS_PROXY (upper case) was read without needing TLS in the test.
TEST_F(CurlHttpClientTest, HttpsProxyFromTheEnvironmentIsUsed) {
  LocalHttpServer proxy([](const ReceivedRequest&) { return http_response(403, "no"); });
  ::setenv("HTTPS_PROXY", proxy.url("").c_str(), 1);
  CurlHttpClient client;
  HttpRequest request;
  request.url = "https://ssm.eu-west-1.amazonaws.com/";
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error, "");
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].request_line, "CONNECT ssm.eu-west-1.amazonaws.com:443 HTTP/1.1");
}

TEST_F(CurlHttpClientTest, NoProxyBypassesTheProxy) {
  LocalHttpServer server([](const ReceivedRequest&) { return http_response(200, "direct"); });
  ::setenv("http_proxy", "http://127.0.0.1:9", 1);  // would fail if used
  ::setenv("no_proxy", "127.0.0.1", 1);
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.url("/");
  const HttpResponse response = client.send(request);
  EXPECT_EQ(response.body, "direct") << response.transport_error;
}

// No proxy can reach this machine's loopback: loopback URLs go direct whatever the
// environment says (the registry lookup and the local AWS endpoint of the tests rely on it).
TEST_F(CurlHttpClientTest, LoopbackHostsNeverGoThroughAProxy) {
  LocalHttpServer server([](const ReceivedRequest&) { return http_response(200, "direct"); });
  ::setenv("http_proxy", "http://192.0.2.1:9", 1);  // TEST-NET-1: would hang or fail if used
  ::setenv("ALL_PROXY", "http://192.0.2.1:9", 1);
  CurlHttpClient client;
  HttpRequest request;
  request.timeout = std::chrono::seconds(5);
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    request.url = "http://" + host + ":" + std::to_string(server.port()) + "/";
    const HttpResponse response = client.send(request);
    EXPECT_EQ(response.body, "direct") << host << ": " << response.transport_error;
  }
}

TEST_F(CurlHttpClientTest, RedirectsAreFollowedOnlyWhenAsked) {
  LocalHttpServer server([](const ReceivedRequest& request) {
    if (request.request_line.starts_with("GET /old ")) {
      return http_response(307, "", "Location: /new\r\n");
    }
    return http_response(200, "moved here", "X-Final: yes\r\n");
  });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.url("/old");
  const HttpResponse not_followed = client.send(request);
  EXPECT_EQ(not_followed.status, 307);
  EXPECT_EQ(header(not_followed, "location"), "/new");

  request.max_redirects = 5;
  const HttpResponse followed = client.send(request);
  EXPECT_EQ(followed.status, 200) << followed.transport_error;
  EXPECT_EQ(followed.body, "moved here");
  EXPECT_EQ(header(followed, "x-final"), "yes");
  EXPECT_EQ(header(followed, "location"), std::nullopt) << "only the final answer's headers";
}

}  // namespace
}  // namespace drover
