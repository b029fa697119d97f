#pragma once
// The real HttpClient, over libcurl, and with it drover's one policy for talking HTTP(S):
//   - TLS is verified against the system CA store (libcurl's default bundle), peer and name.
//   - Proxies come from the environment as libcurl reads it: https_proxy or HTTPS_PROXY for
//     https:// URLs, http_proxy (lower case only) for http:// URLs, ALL_PROXY as the fallback,
//     NO_PROXY/no_proxy for the hosts that bypass them; a loopback host (127.0.0.0/8,
//     localhost, [::1]) is always reached directly, since no proxy can reach this machine's
//     loopback.
//   - Only http and https, for the URL and for redirects, which are followed only when the
//     request asks for it.
//   - Timeouts without signals (other threads are sending at the same time).
//   - Connections are kept alive: a finished request's easy handle goes back to a pool with the
//     multi handle that ran it and holds its connection cache (curl_socket_driver.h;
//     curl_easy_reset keeps them), so the next request to the same endpoint reuses the TCP (and
//     TLS) connection instead of a handshake per request. A fleet deploy polls AWS hundreds of times. Sockets are opened
//     close-on-exec: a kept connection never leaks into the ssh and agent processes drover
//     starts.
#include <chrono>
#include <cstddef>
#include <memory>

#include "util/http/http_client.h"

namespace drover {

struct CurlHttpClientOptions {
  /// A bigger response body is refused with a transport_error: the answers drover asks for
  /// are small, and something sending more is not the endpoint we meant to talk to.
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  /// Caps the TCP/TLS/proxy handshake; the request's own timeout caps the whole exchange.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

/// Thread-safe: each send() takes an easy handle no other send() holds (from the pool, or a new
/// one), and libcurl's global state is initialized once, before the first client exists.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  /// Sends the request with exactly the given headers (plus the ones libcurl always adds, such
  /// as Content-Length and Accept). Never throws for network problems: they come back as
  /// transport_error and failure with status 0, empty headers and body.
  HttpResponse send(const HttpRequest& request) override;

 private:
  class HandlePool;

  CurlHttpClientOptions options_;
  std::unique_ptr<HandlePool> pool_;
};

}  // namespace drover
