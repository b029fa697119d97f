#include "util/http/curl_http_client.h"

#include <curl/curl.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>
#include <mutex>
#include <string>

#include "util/http/curl_socket_driver.h"
#include "util/http/loopback_host.h"

namespace drover {
namespace {

// curl_global_init is not thread-safe in libcurl 7.x, and an easy handle created without it
// initializes implicitly (also unsafely): run it exactly once, before the first transfer.
CURLcode global_init_result() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// Idle handles kept for reuse; more concurrent senders than this get handles of their own, which
// close their connections when they finish.
constexpr std::size_t kMaxIdleHandles = 16;
constexpr long kReceiveBufferBytes = 256L * 1024;

// libcurl's own socket(), close-on-exec: connections now outlive a request, and drover starts
// processes (ssh, the agent) while they are open.
curl_socket_t open_cloexec_socket(void* /*user*/, curlsocktype /*purpose*/,
                                  curl_sockaddr* address) {
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

// Every header of every answer of one request (redirects included), together: real answers
// carry a few KB.
constexpr std::size_t kMaxHeaderBytes = std::size_t{256} << 10;

// What the callbacks fill in while libcurl runs the transfer.
struct Transfer {
  CURL* curl = nullptr;
  std::size_t max_body = 0;
  bool body_too_large = false;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_body) {
    transfer->body_too_large = true;
    return 0;  // anything short of `bytes` makes libcurl abort with CURLE_WRITE_ERROR
  }
  if (transfer->body.empty()) {
    // One allocation for the body its Content-Length announces (an SSM page is ~130 KB), not a
    // string doubling through it; the limit above still bounds what is kept.
    curl_off_t announced = -1;
    if (curl_easy_getinfo(transfer->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) ==
            CURLE_OK &&
        announced > 0) {
      transfer->body.reserve(std::min(static_cast<std::size_t>(announced), transfer->max_body));
    }
  }
  transfer->body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  // libcurl bounds one header line, not how many arrive: a peer sending headers without end
  // would grow this list without bound.
  transfer->header_bytes += bytes;
  if (transfer->header_bytes > kMaxHeaderBytes) {
    transfer->headers_too_large = true;
    return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  }
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line: the headers of an interim answer (100 Continue, a proxy's CONNECT
    // reply) are not the final response's.
    transfer->headers.clear();
  } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    if (!transfer->headers.empty()) transfer->headers.back().second += ' ' + trim(line);
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    transfer->headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  }
  return bytes;
}

HttpResponse failure(HttpFailure kind, std::string message) {
  HttpResponse response;
  response.transport_error = std::move(message);
  response.failure = kind;
  return response;
}

HttpFailure failure_of(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return HttpFailure::cannot_connect;
    case CURLE_OPERATION_TIMEDOUT:
      return HttpFailure::timed_out;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return HttpFailure::tls;
    default:
      return HttpFailure::other;
  }
}

// Whether this process cannot open a socket right now for want of descriptors or memory.
// Asked after a failed transfer: libcurl reports a socket() that failed with EMFILE as "could
// not connect", without its errno.
bool no_socket_to_spare() {
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe >= 0) {
    ::close(probe);
    return false;
  }
  return errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == ENOBUFS;
}

// The URL's host as libcurl reads it ("[::1]" for IPv6); "" when it has none or is malformed.
std::string host_of(const std::string& url) {
  CURLU* parsed = curl_url();
  if (parsed == nullptr) return "";
  std::string host;
  char* part = nullptr;
  if (curl_url_set(parsed, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    host = part;
    curl_free(part);
  }
  curl_url_cleanup(parsed);
  return host;
}

// Whether `url`'s host is a loopback one, remembered for the URL last asked on this thread:
// an AWS client sends every request to the same endpoint, and parsing it is not free.
bool to_loopback(const std::string& url) {
  thread_local std::string last_url;
  thread_local bool last_answer = false;
  if (url != last_url) {
    last_answer = is_loopback_host(host_of(url));
    last_url = url;
  }
  return last_answer;
}

}  // namespace

// An easy handle and the driver whose multi handle keeps its connections: they go together.
struct PooledTransfer {
  EasyHandle easy;
  std::unique_ptr<CurlSocketDriver> driver;

  explicit operator bool() const { return easy && driver && driver->valid(); }
};

class CurlHttpClient::HandlePool {
 public:
  /// An idle pair (with its live connections) or a new one; test it: libcurl may not make one.
  PooledTransfer take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto transfer = std::move(idle_.back());
        idle_.pop_back();
        return transfer;
      }
    }
    return {EasyHandle(curl_easy_init()), std::make_unique<CurlSocketDriver>()};
  }
  /// Back for the next request: its options are reset (they point into the finished request),
  /// its connections are kept.
  void give_back(PooledTransfer transfer) {
    curl_easy_reset(transfer.easy.get());
    std::lock_guard lock(mutex_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(std::move(transfer));
    }
  }

 private:
  std::mutex mutex_;
  std::vector<PooledTransfer> idle_;
};

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : options_(options), pool_(std::make_unique<HandlePool>()) {
  global_init_result();
}

CurlHttpClient::~CurlHttpClient() = default;

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
  const std::string what = request.method + " " + request.url;
  if (const CURLcode init = global_init_result(); init != CURLE_OK) {
    return failure(HttpFailure::other,
                   what + ": libcurl could not initialize: " + curl_easy_strerror(init));
  }
  // Back to the pool however this returns; its options point at this function's locals until
  // give_back resets them.
  struct Lease {
    HandlePool& pool;
    PooledTransfer transfer;
    ~Lease() {
      if (transfer) {
        pool.give_back(std::move(transfer));
      }
    }
  } lease{*pool_, pool_->take()};
  if (!lease.transfer) {
    return failure(HttpFailure::other, what + ": libcurl could not create a transfer handle");
  }
  CURL* curl = lease.transfer.easy.get();

  std::unique_ptr<curl_slist, ListDeleter> header_list;
  const auto add_header = [&header_list](const std::string& line) {
    curl_slist* grown = curl_slist_append(header_list.get(), line.c_str());
    if (grown != nullptr) {
      (void)header_list.release();
      header_list.reset(grown);
    }
  };
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling of a header sent with an empty value.
    add_header(value.empty() ? name + ";" : name + ": " + value);
    has_expect = has_expect || (name.size() == 6 && strncasecmp(name.c_str(), "expect", 6) == 0);
  }
  // libcurl would send "Expect: 100-continue" for larger bodies and wait for the interim answer.
  if (!has_expect) add_header("Expect:");

  Transfer transfer;
  transfer.curl = curl;
  transfer.max_body = options_.max_response_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const auto timeout_ms = static_cast<long>(std::max<std::int64_t>(request.timeout.count(), 1));
  const auto connect_ms =
      static_cast<long>(std::min<std::int64_t>(options_.connect_timeout.count(), timeout_ms));

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_cloexec_socket);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, static_cast<long>(request.max_redirects));
  // Timeouts must not use signals: other threads are sending at the same time.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  // A whole SSM page (50 rows, ~130 KB) in one or two reads rather than libcurl's 16 KB at a
  // time, each read preceded by a poll: on a fleet of 10,000 that is tens of thousands of system
  // calls fewer (README, issue 11).
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
  // No CURLOPT_CAINFO: libcurl verifies TLS peers and host names against the system CA store.
  // No CURLOPT_PROXY either, so libcurl takes the proxy from the environment (see the header),
  // except for loopback hosts, which no proxy can reach: "" means direct.
  if (to_loopback(request.url)) curl_easy_setopt(curl, CURLOPT_PROXY, "");

  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.method == "POST" || !request.body.empty()) {
      // The body outlives the transfer (it is the caller's), so libcurl need not copy it.
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }

  const CURLcode result = lease.transfer.driver->perform(curl);
  if (transfer.headers_too_large) {
    return failure(HttpFailure::too_large, what + ": the response headers exceed " +
                                               std::to_string(kMaxHeaderBytes >> 10) + " KiB");
  }
  if (transfer.body_too_large) {
    return failure(HttpFailure::too_large, what + ": the response body exceeds the " +
                                               std::to_string(options_.max_response_bytes) +
                                               "-byte limit");
  }
  if (result != CURLE_OK) {
    std::string message = what + ": " + curl_easy_strerror(result);
    if (error_buffer[0] != '\0') message += std::string(" (") + error_buffer + ")";
    // Out of descriptors, socket() fails with EMFILE and libcurl says "could not connect": that
    // is this machine's shortage, not the endpoint's, and must not read as an unreachable one.
    if (result == CURLE_OUT_OF_MEMORY || no_socket_to_spare()) {
      return failure(HttpFailure::out_of_resources,
                     what + ": this machine ran out of file descriptors or memory (" + message +
                         "); nothing was sent (raise `ulimit -n`, or deploy fewer hosts at once)");
    }
    return failure(failure_of(result), std::move(message));
  }
  HttpResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  response.headers = std::move(transfer.headers);
  response.body = std::move(transfer.body);
  return response;
}

}  // namespace drover
