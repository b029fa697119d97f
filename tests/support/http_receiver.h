#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port), started inside a test with plain
// sockets: real connections, real timeouts. It records every request it read, and answers each
// with what its handler returns; a handler returning nullopt makes it hang: the connection is
// held open, unanswered, until the client gives up (or the receiver stops). One connection at
// a time, which is all the tests need: webhooks that record, answer 500 or hang, and the HTTP
// client's own tests (proxies, redirects, timeouts).
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace drover::testing {

struct ReceivedRequest {
  std::string request_line;                    // "POST /hooks/T0/B1 HTTP/1.1"
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

/// A whole HTTP/1.1 answer with Content-Length and Connection: close.
std::string http_response(int status, const std::string& body,
                          const std::string& extra_headers = "");

class HttpReceiver {
 public:
  using Handler = std::function<std::optional<std::string>(const ReceivedRequest&)>;

  /// Throws std::runtime_error when it cannot listen.
  explicit HttpReceiver(Handler handler);
  /// Answers every request with `status` and `body`.
  static Handler answering(int status, const std::string& body = "");
  /// Never answers.
  static Handler hanging();
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port><path>".
  std::string url(const std::string& path) const;
  /// Every request read so far, in order.
  std::vector<ReceivedRequest> requests();

 private:
  void serve();
  void hold(int connection);

  Handler handler_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace drover::testing
