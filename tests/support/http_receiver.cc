#include "support/http_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <stdexcept>

namespace drover::testing {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::optional<ReceivedRequest> read_request(int connection) {
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

}  // namespace

std::string http_response(int status, const std::string& body, const std::string& extra_headers) {
  return "HTTP/1.1 " + std::to_string(status) + " Whatever\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

HttpReceiver::HttpReceiver(Handler handler) : handler_(std::move(handler)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listener_ >= 0) ::close(listener_);
    throw std::runtime_error("test HTTP receiver could not listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

HttpReceiver::Handler HttpReceiver::answering(int status, const std::string& body) {
  return [status, body](const ReceivedRequest&) { return http_response(status, body); };
}

HttpReceiver::Handler HttpReceiver::hanging() {
  return [](const ReceivedRequest&) { return std::optional<std::string>(); };
}

HttpReceiver::~HttpReceiver() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

std::string HttpReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<ReceivedRequest> HttpReceiver::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

void HttpReceiver::serve() {
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
      const auto response = handler_(*request);
      if (!response) {
        hold(connection);
      } else {
        std::size_t sent = 0;
        while (sent < response->size()) {
          // MSG_NOSIGNAL: a client that gave up must not kill the test binary with SIGPIPE.
          const ssize_t n =
              ::send(connection, response->data() + sent, response->size() - sent, MSG_NOSIGNAL);
          if (n <= 0) break;
          sent += static_cast<std::size_t>(n);
        }
      }
    }
    ::close(connection);
  }
}

// Keeps the connection open and unanswered until the client closes it or the receiver stops.
void HttpReceiver::hold(int connection) {
  char buffer[256];
  while (!stopping_) {
    pollfd readable{connection, POLLIN, 0};
    if (::poll(&readable, 1, 50) <= 0) continue;
    if (::recv(connection, buffer, sizeof buffer, 0) <= 0) return;
  }
}

}  // namespace drover::testing
