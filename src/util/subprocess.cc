#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

extern char** environ;

namespace drover {
namespace {

// Running out of descriptors, memory or processes is drover's shortage, not the program's.
[[noreturn]] void throw_start_failure(const std::string& what, int error) {
  const std::string text = what + ": " + strerror(error);
  if (error == EMFILE || error == ENFILE || error == ENOMEM || error == EAGAIN) {
    throw ResourceExhausted(text);
  }
  throw std::runtime_error(text);
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw_start_failure("pipe", errno);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read_end >= 0) close(read_end);
    read_end = -1;
  }
  void close_write() {
    if (write_end >= 0) close(write_end);
    write_end = -1;
  }
};

std::vector<std::string> merged_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto key = entry.substr(0, entry.find('='));
    if (!extra.contains(key)) env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

// One output stream of the program: its pipe, what was read, and the cap.
struct Capture {
  Pipe& pipe;
  std::string& text;
  const char* name;
  // Lines of `text` handed to on_line so far end before this offset.
  std::size_t lines_passed = 0;
  const std::function<void(std::string_view)>* on_line = nullptr;

  /// Hands every complete line not yet passed to on_line; `final`: the rest too.
  void pass_lines(bool final) {
    if (on_line == nullptr || !*on_line) return;
    std::size_t newline;
    while ((newline = text.find('\n', lines_passed)) != std::string::npos) {
      (*on_line)(std::string_view(text).substr(lines_passed, newline - lines_passed));
      lines_passed = newline + 1;
    }
    if (final && lines_passed < text.size()) {
      (*on_line)(std::string_view(text).substr(lines_passed));
      lines_passed = text.size();
    }
  }
};

enum class ReadResult { more, closed, overflow };

// One read() into `capture`; past `max_bytes` only what fits is kept.
ReadResult read_some(Capture& capture, std::size_t max_bytes, std::array<char, 65536>& buffer) {
  const ssize_t n = read(capture.pipe.read_end, buffer.data(), buffer.size());
  if (n < 0) {
    if (errno == EINTR || errno == EAGAIN) return ReadResult::more;
    capture.pipe.close_read();
    return ReadResult::closed;
  }
  if (n == 0) {
    capture.pipe.close_read();
    return ReadResult::closed;
  }
  const auto got = static_cast<std::size_t>(n);
  const std::size_t room = max_bytes - std::min(max_bytes, capture.text.size());
  capture.text.append(buffer.data(), std::min(got, room));
  return got > room ? ReadResult::overflow : ReadResult::more;
}

// After the program exited: what it wrote is already in the pipes (a write completes before
// the writer can exit), so read what is there without waiting. A child it left behind may
// keep writing; a bounded number of reads keeps that from holding the call.
ReadResult drain(Capture& capture, std::size_t max_bytes, std::array<char, 65536>& buffer) {
  if (capture.pipe.read_end < 0) return ReadResult::closed;
  fcntl(capture.pipe.read_end, F_SETFL, fcntl(capture.pipe.read_end, F_GETFL) | O_NONBLOCK);
  constexpr int kMaxReads = 64;
  for (int i = 0; i < kMaxReads && capture.pipe.read_end >= 0; ++i) {
    const ssize_t n = read(capture.pipe.read_end, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN: nothing more right now; 0: every writer is gone
    const auto got = static_cast<std::size_t>(n);
    const std::size_t room = max_bytes - std::min(max_bytes, capture.text.size());
    capture.text.append(buffer.data(), std::min(got, room));
    if (got > room) return ReadResult::overflow;
  }
  capture.pipe.close_read();
  return ReadResult::closed;
}

// The program's exit as something poll() can wait for: a pidfd (Linux 5.3+). Without one
// the caller polls waitpid(WNOHANG) every kFallbackPollMs.
class ExitWatch {
 public:
  explicit ExitWatch(pid_t pid) : pid_(pid) {
    fd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  }
  ~ExitWatch() {
    if (fd_ >= 0) close(fd_);
  }
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  int fd() const { return fd_; }
  bool exited() const { return status_.has_value(); }
  int status() const { return status_.value_or(0); }

  /// Reaps the program if it has exited (`readable`: its pidfd said so). Never blocks.
  void check() {
    if (status_) return;
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) status_ = status;
  }
  /// Waits for the program to end (after it was killed, or once it exited).
  void reap() {
    if (status_) return;
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = status;
  }

  static constexpr int kFallbackPollMs = 100;

 private:
  pid_t pid_;
  int fd_ = -1;
  std::optional<int> status_;
};

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

ProcessResult PosixProcessRunner::run(const std::vector<std::string>& argv,
                                      const ProcessOptions& options) {
  if (argv.empty()) throw std::runtime_error("cannot run an empty command");
  Pipe in, out, err;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
  // The child gets its own process group so a timeout can kill everything it started, and
  // no signal mask or ignored signal of ours (drover blocks SIGINT/SIGTERM/SIGHUP for its
  // signal thread, ignores SIGPIPE): the program starts with the defaults.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  sigset_t default_signals;
  sigemptyset(&default_signals);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGXFSZ})
    sigaddset(&default_signals, signal);
  posix_spawnattr_setsigdefault(&attr, &default_signals);

  auto args = argv;
  auto arg_ptrs = c_strings(args);
  auto env = merged_environment(options.extra_env);
  auto env_ptrs = c_strings(env);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0].c_str(), &actions, &attr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw_start_failure("cannot run " + argv[0], rc);

  in.close_read();
  out.close_write();
  err.close_write();

  ProcessResult result;
  ExitWatch watch(pid);
  std::array<Capture, 2> captures{Capture{out, result.out, "stdout"},
                                  Capture{err, result.err, "stderr", 0, &options.on_stderr_line}};
  size_t stdin_written = 0;
  if (options.stdin_data.empty()) in.close_write();
  const bool has_deadline = options.timeout.has_value();
  const auto deadline =
      std::chrono::steady_clock::now() + options.timeout.value_or(std::chrono::milliseconds(0));
  std::array<char, 65536> buffer;
  const auto kill_group = [&] { kill(-pid, SIGKILL); };
  while (!watch.exited() && result.overflowed.empty()) {
    std::array<pollfd, 4> fds{};
    nfds_t count = 0;
    for (const auto& capture : captures) {
      if (capture.pipe.read_end >= 0) fds[count++] = {capture.pipe.read_end, POLLIN, 0};
    }
    if (in.write_end >= 0) fds[count++] = {in.write_end, POLLOUT, 0};
    if (watch.fd() >= 0) fds[count++] = {watch.fd(), POLLIN, 0};
    int wait_ms = watch.fd() >= 0 ? -1 : ExitWatch::kFallbackPollMs;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const int left_ms = static_cast<int>(std::max<long long>(0, left.count()));
      wait_ms = wait_ms < 0 ? left_ms : std::min(wait_ms, left_ms);
    }
    int ready = poll(fds.data(), count, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0 && has_deadline && std::chrono::steady_clock::now() >= deadline) {
      kill_group();
      result.timed_out = true;
      break;
    }
    for (nfds_t i = 0; i < count && result.overflowed.empty(); ++i) {
      if (fds[i].revents == 0 || fds[i].fd == watch.fd()) continue;
      if (fds[i].fd == in.write_end) {
        ssize_t n = write(in.write_end, options.stdin_data.data() + stdin_written,
                          options.stdin_data.size() - stdin_written);
        if (n > 0) stdin_written += static_cast<size_t>(n);
        if (n < 0 || stdin_written == options.stdin_data.size()) in.close_write();
        continue;
      }
      for (auto& capture : captures) {
        if (fds[i].fd != capture.pipe.read_end) continue;
        if (read_some(capture, options.max_output_bytes, buffer) == ReadResult::overflow) {
          kill_group();
          result.overflowed = capture.name;
        }
        capture.pass_lines(false);
      }
    }
    watch.check();
  }
  in.close_write();
  if (watch.exited()) {
    for (auto& capture : captures) {
      if (result.overflowed.empty() &&
          drain(capture, options.max_output_bytes, buffer) == ReadResult::overflow) {
        result.overflowed = capture.name;
      }
    }
  }
  watch.reap();
  for (auto& capture : captures) capture.pass_lines(true);

  const int status = watch.status();
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace drover
