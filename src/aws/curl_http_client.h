#pragma once
// The real HttpClient, over libcurl. TLS is verified against the system CA store (libcurl's
// default bundle). Proxies come from the environment as libcurl reads it: https_proxy or
// HTTPS_PROXY for https:// URLs, http_proxy (lower case only) for http:// URLs, ALL_PROXY as
// the fallback, and NO_PROXY/no_proxy for the hosts that bypass them.
#include <chrono>
#include <cstddef>

#include "aws/http_client.h"

namespace drover::aws {

struct CurlHttpClientOptions {
  /// A bigger response body is refused with a transport_error: AWS answers are small, and
  /// something sending more is not the endpoint we meant to talk to.
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  /// Caps the TCP/TLS/proxy handshake; the request's own timeout caps the whole exchange.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
};

/// Thread-safe: each send() uses its own libcurl easy handle, and libcurl's global state is
/// initialized once, before the first client exists.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});

  /// Sends the request with exactly the given headers (plus the ones libcurl always adds, such
  /// as Content-Length and Accept). Redirects are not followed. Never throws for network
  /// problems: they come back as transport_error with status 0, empty headers and body.
  HttpResponse send(const HttpRequest& request) override;

 private:
  CurlHttpClientOptions options_;
};

}  // namespace drover::aws
