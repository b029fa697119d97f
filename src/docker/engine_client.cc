#include "docker/engine_client.h"

// Boost 1.74's Asio, compiled as C++20 by GCC 12, needs <utility> included before it.
#include <utility>
// clang-format off
#include <poll.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
// clang-format on

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace drover::docker {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using Socket = asio::local::stream_protocol::socket;

// Beast's synchronous reads and writes block for as long as the peer is silent. This
// adapter waits for readiness with poll() first, so a hung engine turns into an error after
// the request's idle timeout instead of hanging the agent forever.
class IdleTimeoutStream {
 public:
  IdleTimeoutStream(Socket& socket, std::optional<std::chrono::seconds> idle_timeout)
      : socket_(socket), idle_timeout_(idle_timeout) {}

  bool timed_out() const { return timed_out_; }

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, error_code& ec) {
    if (!wait_until_ready(POLLIN, ec)) return 0;
    return socket_.read_some(buffers, ec);
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    error_code ec;
    const auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, error_code& ec) {
    if (!wait_until_ready(POLLOUT, ec)) return 0;
    return socket_.write_some(buffers, ec);
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    error_code ec;
    const auto n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

 private:
  bool wait_until_ready(short events, error_code& ec) {
    if (!idle_timeout_) return true;
    const int timeout_ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(*idle_timeout_).count());
    pollfd fd{socket_.native_handle(), events, 0};
    for (;;) {
      const int ready = ::poll(&fd, 1, timeout_ms);
      if (ready > 0) return true;
      if (ready == 0) {
        timed_out_ = true;
        ec = asio::error::timed_out;
        return false;
      }
      // A signal restarts the full wait: the timeout is about silence, not a deadline.
      if (errno == EINTR) continue;
      ec = error_code(errno, boost::system::system_category());
      return false;
    }
  }

  Socket& socket_;
  std::optional<std::chrono::seconds> idle_timeout_;
  bool timed_out_ = false;
};

RuntimeError unreachable(const std::string& socket_path, const std::string& reason) {
  return RuntimeError(0, "cannot reach the Docker engine at " + socket_path + ": " + reason +
                             " (is dockerd running? set DOCKER_HOST=unix://PATH to use another "
                             "socket)");
}

std::string describe(const EngineRequest& request) {
  return std::string(request.endpoint.method) + " " + std::string(request.endpoint.path);
}

bool succeeded(unsigned status) {
  return (status >= 200 && status < 300) || status == 304;
}

}  // namespace

std::string docker_socket_path(const char* docker_host) {
  if (docker_host == nullptr || *docker_host == '\0') return std::string(kDefaultDockerSocket);
  const std::string_view host(docker_host);
  constexpr std::string_view kUnix = "unix://";
  if (host.substr(0, kUnix.size()) == kUnix) {
    if (host.size() == kUnix.size()) {
      throw RuntimeError(0, "DOCKER_HOST=unix:// names no socket (set DOCKER_HOST=unix:///PATH)");
    }
    return std::string(host.substr(kUnix.size()));
  }
  // Only the scheme is echoed: the rest of a URL may carry a user name or a password.
  const auto scheme_end = host.find("://");
  const std::string scheme = scheme_end == std::string_view::npos
                                 ? "a scheme-less address"
                                 : std::string(host.substr(0, scheme_end)) + "://";
  throw RuntimeError(0, "DOCKER_HOST uses " + scheme +
                            ", but drover talks to the Docker engine over a unix socket only "
                            "(unset DOCKER_HOST or set DOCKER_HOST=unix:///PATH)");
}

std::string engine_error_message(unsigned status, std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message;
  if (json.is_object() && json.contains("message") && json["message"].is_string()) {
    message = json["message"].get<std::string>();
  } else {
    // Not an ErrorResponse (a proxy or some other server on the socket): its text, bounded.
    constexpr std::size_t kMaxText = 500;
    message = std::string(body.substr(0, kMaxText));
  }
  while (!message.empty() &&
         (message.back() == '\n' || message.back() == '\r' || message.back() == ' ')) {
    message.pop_back();
  }
  if (message.empty()) {
    message = "HTTP " + std::to_string(status) + " " +
              std::string(http::obsolete_reason(http::int_to_status(status)));
  }
  return message;
}

EngineClient::EngineClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}

EngineClient EngineClient::from_environment() {
  return EngineClient(docker_socket_path(std::getenv("DOCKER_HOST")));
}

namespace {
constexpr std::size_t kMaxCollectedBody = std::size_t{64} << 20;
}  // namespace

EngineResponse EngineClient::send(const EngineRequest& request, const BodySink& sink) const {
  std::string target;
  try {
    target = request_target(request.endpoint, request.param, request.query);
  } catch (const std::invalid_argument& e) {
    throw RuntimeError(400, e.what());
  }

  asio::io_context io;
  Socket socket(io);
  error_code ec;
  try {
    socket.connect(asio::local::stream_protocol::endpoint(socket_path_), ec);
  } catch (const boost::system::system_error& e) {  // a path too long for sockaddr_un
    throw unreachable(socket_path_, e.code().message());
  }
  if (ec) throw unreachable(socket_path_, ec.message());

  IdleTimeoutStream stream(socket, request.idle_timeout);
  const auto broken = [&](const error_code& error) {
    if (stream.timed_out()) {
      return RuntimeError(0, "the Docker engine at " + socket_path_ + " did not answer " +
                                 describe(request) + " within " +
                                 std::to_string(request.idle_timeout->count()) + " s");
    }
    return RuntimeError(0, "the Docker engine at " + socket_path_ + " broke off " +
                               describe(request) + ": " + error.message());
  };

  http::request<http::string_body> message{
      http::string_to_verb(std::string(request.endpoint.method)), target, 11};
  message.set(http::field::host, "docker");
  message.set(http::field::user_agent, "drover-agent");
  message.set(http::field::connection, "close");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  if (request.body) {
    message.set(http::field::content_type, "application/json");
    message.body() = request.body->dump();
  }
  message.prepare_payload();
  http::write(stream, message, ec);
  if (ec) throw broken(ec);

  boost::beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  // Logs and pull progress can be arbitrarily long, so no limit. Not boost::none: Beast 1.74
  // compares Content-Length against the optional, and any number compares greater than none.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  http::read_header(stream, buffer, parser, ec);
  if (ec) throw broken(ec);

  EngineResponse response;
  response.status = parser.get().result_int();
  const bool ok = succeeded(response.status);
  // Error bodies are always collected: they carry the message we report.
  const bool streaming = ok && sink;
  std::string chunk(64 * 1024, '\0');
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    http::read(stream, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) throw broken(ec);
    const std::string_view got(chunk.data(), chunk.size() - parser.get().body().size);
    if (got.empty()) continue;
    if (streaming) {
      sink(got);
    } else if (response.body.size() + got.size() > kMaxCollectedBody) {
      // Inspect and list answers are kilobytes; only a stream goes on for long, and it goes to
      // a sink. Anything else this big is not an answer to keep in memory.
      throw RuntimeError(0, "the Docker engine at " + socket_path_ + " answered " +
                                describe(request) + " with more than " +
                                std::to_string(kMaxCollectedBody >> 20) + " MiB");
    } else {
      response.body.append(got);
    }
  }
  if (!ok)
    throw RuntimeError(static_cast<int>(response.status),
                       engine_error_message(response.status, response.body));
  return response;
}

}  // namespace drover::docker
