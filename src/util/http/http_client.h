#pragma once
// HTTP(S) as an interface: the real side is libcurl (curl_http_client.h), which carries drover's
// one TLS and proxy policy; tests speak to local endpoints through the same real side, or
// script the interface. Used for AWS (src/aws) and the registry digest lookup (src/cli).
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace drover {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PUT, ...
  std::string url;             // absolute: https://ssm.eu-west-1.amazonaws.com/
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given, in order
  std::string body;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// Redirects to follow (http and https only); 0 makes a redirect the answer itself.
  int max_redirects = 0;
};

/// Why no HTTP answer arrived, for callers whose advice differs by cause.
enum class HttpFailure {
  none,              // an answer arrived (whatever its status)
  cannot_connect,    // the name did not resolve, or the connection was refused
  timed_out,         // no complete answer within the request's timeout
  tls,               // the TLS handshake or the peer's certificate failed
  too_large,         // the body exceeded the client's limit
  out_of_resources,  // this machine ran out of descriptors or memory: nothing was sent
  other,             // anything else (unsupported scheme, a protocol error, …)
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer arrived (see transport_error)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::string body;
  std::string transport_error;  // non-empty when the request never got an answer (DNS, TLS, ...)
  HttpFailure failure = HttpFailure::none;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends one request and returns whatever came back. Never throws for network problems:
  /// they are `transport_error` and `failure`.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace drover
