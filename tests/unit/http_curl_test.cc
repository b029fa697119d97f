// CurlHttpClient against a real HTTP/1.1 server on 127.0.0.1 (support/http_receiver.h), started
// inside the test with plain sockets: real connections, real timeouts, a real proxy hop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/http_receiver.h"
#include "util/http/curl_http_client.h"

namespace drover {
namespace {

using LocalHttpServer = testing::HttpReceiver;
using testing::http_response;
using testing::ReceivedRequest;

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

// Issue 11, point 6: out of descriptors, the request is this machine's shortage, never an
// endpoint that cannot be reached.
TEST_F(CurlHttpClientTest, NoDescriptorLeftIsOutOfResourcesNotCannotConnect) {
  CurlHttpClient client;
  HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  std::vector<int> filler;
  for (int fd; (fd = ::dup(0)) >= 0;) filler.push_back(fd);  // until EMFILE
  ASSERT_EQ(errno, EMFILE);
  const auto response = client.send(request);
  for (int fd : filler) ::close(fd);
  EXPECT_EQ(response.failure, HttpFailure::out_of_resources) << response.transport_error;
  EXPECT_NE(response.transport_error.find("ran out of file descriptors"), std::string::npos)
      << response.transport_error;
  EXPECT_EQ(client.send(request).failure, HttpFailure::cannot_connect) << "once they are back";
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
