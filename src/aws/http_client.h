#pragma once
// HTTP(S) as an interface: the real side is libcurl (system CA store, HTTPS_PROXY honoured);
// tests speak to local endpoints through the same real side. Nothing here knows about AWS.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace drover::aws {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, ...
  std::string url;             // absolute: https://ssm.eu-west-1.amazonaws.com/
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given, in order
  std::string body;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct HttpResponse {
  long status = 0;  // 0 when no HTTP answer arrived (see transport_error)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string transport_error;  // non-empty when the request never got an answer (DNS, TLS, ...)
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  /// Sends one request and returns whatever came back. Never throws for network problems:
  /// they are `transport_error`.
  virtual HttpResponse send(const HttpRequest& request) = 0;
};

}  // namespace drover::aws
