#pragma once
// Runs one libcurl transfer to its end on a multi handle of its own, waiting on exactly the
// sockets libcurl names (curl_multi_socket_action) instead of curl_easy_perform's loop.
//
// Why: curl_easy_perform polls five times per keep-alive request (a wake-up pipe, the kept
// connection twice, the wait, the readiness check before each read); on a VM a system call
// costs tens of microseconds, and a 10,000-instance SSM deploy sends 1,700 requests (issue 11).
// Driven by socket events libcurl knows which socket is ready and skips its own checks.
//
// The multi handle holds the connection cache, so a driver and its easy handle are pooled
// together (curl_http_client.cc): the next request reuses the connection.
#include <curl/curl.h>

#include <memory>

namespace drover {

class CurlSocketDriver {
 public:
  CurlSocketDriver();
  ~CurlSocketDriver();
  CurlSocketDriver(const CurlSocketDriver&) = delete;
  CurlSocketDriver& operator=(const CurlSocketDriver&) = delete;

  /// False when libcurl could not make a multi handle (out of memory).
  bool valid() const { return multi_ != nullptr; }

  /// Runs `easy` (options set) to its end and returns its result, as curl_easy_perform would;
  /// the easy handle is detached again, its connection kept here for the next transfer.
  /// A signal interrupting the wait is waited through: the transfer's own timeout bounds it.
  CURLcode perform(CURL* easy);

 private:
  struct Watch;

  CURLM* multi_;
  std::unique_ptr<Watch> watch_;
};

}  // namespace drover
