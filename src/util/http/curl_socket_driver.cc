#include "util/http/curl_socket_driver.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <vector>

namespace drover {
namespace {

// With no timer set libcurl still gets a look this often: it has nothing to do then, but a
// wait without end would hang on a libcurl that forgot to say so.
constexpr int kLongestWaitMs = 1000;

short poll_events(int what) {
  short events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) {
    events |= POLLIN;
  }
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) {
    events |= POLLOUT;
  }
  return events;
}

int curl_readiness(short revents) {
  int mask = 0;
  // A hung-up peer reads as readable: libcurl's read then finds the end of the stream.
  if ((revents & (POLLIN | POLLHUP)) != 0) {
    mask |= CURL_CSELECT_IN;
  }
  if ((revents & POLLOUT) != 0) {
    mask |= CURL_CSELECT_OUT;
  }
  if ((revents & (POLLERR | POLLNVAL)) != 0) {
    mask |= CURL_CSELECT_ERR;
  }
  return mask;
}

CURLcode easy_code_of(CURLMcode code) {
  return code == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_FAILED_INIT;
}

}  // namespace

// What libcurl asked to be told about: the sockets with their events, and when to call back.
struct CurlSocketDriver::Watch {
  using Clock = std::chrono::steady_clock;

  std::vector<pollfd> sockets;
  std::optional<Clock::time_point> deadline;

  static int on_socket(CURL* /*easy*/, curl_socket_t socket, int what, void* user,
                       void* /*socket_user*/) {
    auto& sockets = static_cast<Watch*>(user)->sockets;
    std::erase_if(sockets, [socket](const pollfd& entry) { return entry.fd == socket; });
    if (what != CURL_POLL_REMOVE) {
      sockets.push_back({socket, poll_events(what), 0});
    }
    return 0;
  }

  // A single-shot timer: -1 deletes it, 0 means at once.
  static int on_timer(CURLM* /*multi*/, long timeout_ms, void* user) {
    auto& watch = *static_cast<Watch*>(user);
    if (timeout_ms < 0) {
      watch.deadline.reset();
    } else {
      watch.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    }
    return 0;
  }

  int wait_ms() const {
    if (!deadline) {
      return kLongestWaitMs;
    }
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, kLongestWaitMs));
  }

  bool timer_due() const { return deadline && *deadline <= Clock::now(); }
};

CurlSocketDriver::CurlSocketDriver()
    : multi_(curl_multi_init()), watch_(std::make_unique<Watch>()) {
  if (multi_ == nullptr) {
    return;
  }
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Watch::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, watch_.get());
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Watch::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, watch_.get());
}

CurlSocketDriver::~CurlSocketDriver() {
  if (multi_ != nullptr) {
    curl_multi_cleanup(multi_);
  }
}

CURLcode CurlSocketDriver::perform(CURL* easy) {
  Watch& watch = *watch_;
  watch.sockets.clear();
  watch.deadline.reset();
  if (const CURLMcode added = curl_multi_add_handle(multi_, easy); added != CURLM_OK) {
    return easy_code_of(added);
  }
  int running = 1;
  CURLMcode failed = CURLM_OK;
  const auto act = [&](curl_socket_t socket, int readiness) {
    if (failed == CURLM_OK) {
      failed = curl_multi_socket_action(multi_, socket, readiness, &running);
    }
  };
  act(CURL_SOCKET_TIMEOUT, 0);
  std::vector<pollfd> polled;
  CURLcode waited = CURLE_OK;
  while (running > 0 && failed == CURLM_OK) {
    // A copy: handling one socket's events can make libcurl change the list.
    polled = watch.sockets;
    const int ready = ::poll(polled.data(), polled.size(), watch.wait_ms());
    if (ready < 0) {
      if (errno == EINTR) {
        continue;
      }
      waited = errno == ENOMEM ? CURLE_OUT_OF_MEMORY : CURLE_RECV_ERROR;
      break;
    }
    for (const pollfd& entry : polled) {
      if (entry.revents != 0) {
        act(entry.fd, curl_readiness(entry.revents));
      }
    }
    if (ready == 0 || watch.timer_due()) {
      watch.deadline.reset();
      act(CURL_SOCKET_TIMEOUT, 0);
    }
  }
  CURLcode result = failed != CURLM_OK ? easy_code_of(failed) : waited;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg == CURLMSG_DONE && message->easy_handle == easy && result == CURLE_OK) {
      result = message->data.result;
    }
  }
  curl_multi_remove_handle(multi_, easy);
  return result;
}

}  // namespace drover
