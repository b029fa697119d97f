// drover-demo-bot: a tiny stand-in for a trading bot, used by the test and demo images.
//
// It starts, "logs in to Steam" after a delay (prints a line, creates /tmp/logged-in and, with
// --redis, SETs bot:<id>:login = ok), then waits for SIGTERM. Linked -static: it runs in FROM
// scratch images, so it has no shell, no libraries and speaks RESP over a raw TCP socket.
//
//   drover-demo-bot [--login-after S] [--redis IP:PORT] [--flavor X]
//                   [--exit-after S [--exit-code N]]
//   drover-demo-bot --health        exit 0 when logged in, else 1 (a HEALTHCHECK)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr const char* kLoggedInFile = "/tmp/logged-in";
constexpr int kRedisTimeoutMs = 2000;

struct Options {
  double login_after = 3;
  std::optional<double> exit_after;
  int exit_code = 0;
  std::string redis;
  std::string flavor;
  bool health = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "drover-demo-bot: %s\n"
               "usage: drover-demo-bot [--login-after S] [--redis IP:PORT] [--flavor X]\n"
               "                       [--exit-after S [--exit-code N]] | --health\n",
               why);
  std::exit(2);
}

double parse_seconds(const char* flag, const char* text) {
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || value < 0) {
    usage((std::string("bad value for ") + flag + ": " + text).c_str());
  }
  return value;
}

Options parse_args(int argc, char** argv) {
  Options opts;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((std::string(arg) + " needs a value").c_str());
      return argv[++i];
    };
    if (arg == "--health") {
      opts.health = true;
    } else if (arg == "--login-after") {
      opts.login_after = parse_seconds("--login-after", value());
    } else if (arg == "--exit-after") {
      opts.exit_after = parse_seconds("--exit-after", value());
    } else if (arg == "--exit-code") {
      const char* text = value();
      char* end = nullptr;
      long code = std::strtol(text, &end, 10);
      if (end == text || *end != '\0' || code < 0 || code > 255) usage("bad --exit-code");
      opts.exit_code = static_cast<int>(code);
    } else if (arg == "--redis") {
      opts.redis = value();
    } else if (arg == "--flavor") {
      opts.flavor = value();
    } else {
      usage((std::string("unknown argument: ") + std::string(arg)).c_str());
    }
  }
  return opts;
}

// Writes all of `data` or fails; the socket has a send timeout.
bool send_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// SET bot:<id>:login ok on a Redis at IP:PORT. Returns an error text, empty on success.
std::string record_login(const std::string& address, const std::string& id) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) return "address must be IP:PORT";
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (port <= 0 || port > 65535 || inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return "address must be a numeric IPv4:PORT";
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return std::string("socket: ") + std::strerror(errno);
  std::string error;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      error = std::string("connect: ") + std::strerror(errno);
    } else {
      pollfd pfd{fd, POLLOUT, 0};
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (::poll(&pfd, 1, kRedisTimeoutMs) != 1) {
        error = "connect: timed out";
      } else if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
        error = std::string("connect: ") + std::strerror(soerr ? soerr : errno);
      }
    }
  }
  if (error.empty()) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval tv{kRedisTimeoutMs / 1000, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string key = "bot:" + id + ":login";
    std::string command =
        "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$2\r\nok\r\n";
    char reply[256];
    ssize_t n = 0;
    if (!send_all(fd, command)) {
      error = std::string("send: ") + std::strerror(errno);
    } else if ((n = ::recv(fd, reply, sizeof reply - 1, 0)) <= 0) {
      bool timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      error = n == 0      ? "connection closed"
              : timed_out ? "no reply within 2 s"
                          : std::string("recv: ") + std::strerror(errno);
    } else {
      reply[n] = '\0';
      std::string_view text(reply, static_cast<size_t>(n));
      if (!text.starts_with("+OK")) {
        error = "unexpected reply: " + std::string(text.substr(0, text.find('\r')));
      }
    }
  }
  ::close(fd);
  return error;
}

void log_in(const std::string& id, const Options& opts) {
  ::mkdir("/tmp", 01777);  // FROM scratch images have no /tmp
  if (FILE* f = std::fopen(kLoggedInFile, "w")) {
    std::fclose(f);
  } else {
    std::printf("bot %s cannot create %s: %s\n", id.c_str(), kLoggedInFile, std::strerror(errno));
  }
  std::printf("bot %s logged in to Steam\n", id.c_str());
  if (!opts.redis.empty()) {
    std::string error = record_login(opts.redis, id);
    if (error.empty()) {
      std::printf("bot %s recorded login in redis %s\n", id.c_str(), opts.redis.c_str());
    } else {
      std::printf("bot %s redis %s: %s (ignored)\n", id.c_str(), opts.redis.c_str(), error.c_str());
    }
  }
}

double now_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void ignore_signal(int) {}

}  // namespace

int main(int argc, char** argv) {
  Options opts = parse_args(argc, argv);
  if (opts.health) return ::access(kLoggedInFile, F_OK) == 0 ? 0 : 1;

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const char* env_id = std::getenv("BOT_ID");
  const char* env_version = std::getenv("BOT_VERSION");
  std::string id = env_id && *env_id ? env_id : "0";
  std::string version = env_version && *env_version ? env_version : "unknown";

  // As PID 1 a signal with the default action is dropped: install a handler, block the
  // signals and take them synchronously with sigtimedwait.
  struct sigaction action {};
  action.sa_handler = ignore_signal;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  std::printf("bot %s starting (version %s)\n", id.c_str(), version.c_str());
  if (!opts.flavor.empty()) std::printf("bot %s flavor %s\n", id.c_str(), opts.flavor.c_str());

  const double start = now_seconds();
  bool logged_in = false;
  for (;;) {
    double elapsed = now_seconds() - start;
    if (opts.exit_after && elapsed >= *opts.exit_after) {
      std::printf("bot %s exiting with code %d\n", id.c_str(), opts.exit_code);
      return opts.exit_code;
    }
    if (!logged_in && elapsed >= opts.login_after) {
      log_in(id, opts);
      logged_in = true;
      continue;
    }
    double next = 1e9;
    if (!logged_in) next = opts.login_after;
    if (opts.exit_after && *opts.exit_after < next) next = *opts.exit_after;
    double wait = next - elapsed;
    if (wait > 3600) wait = 3600;
    timespec timeout{
        static_cast<time_t>(wait),
        static_cast<long>((wait - static_cast<double>(static_cast<time_t>(wait))) * 1e9)};
    int sig = ::sigtimedwait(&stop_signals, nullptr, &timeout);
    if (sig == SIGTERM || sig == SIGINT) {
      std::printf("bot %s stopping\n", id.c_str());
      return 0;
    }
  }
}
