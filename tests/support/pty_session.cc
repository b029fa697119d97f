#include "support/pty_session.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace drover::testing {
namespace {

using Clock = std::chrono::steady_clock;

// "KEY=VALUE" strings of our environment with `extra` laid over it.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string text = *entry;
    auto eq = text.find('=');
    if (eq != std::string::npos) env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : extra) env[key] = value;
  std::vector<std::string> out;
  for (const auto& [key, value] : env) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

LiveProcess::LiveProcess(Mode mode, const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env,
                         unsigned short columns) {
  if (argv.empty()) throw std::runtime_error("LiveProcess: empty argv");
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> args = argv;
  std::vector<std::string> env = environment_with(extra_env);
  auto arg_ptrs = pointers(args);
  auto env_ptrs = pointers(env);

  if (mode == Mode::pty) {
    struct winsize size {};
    size.ws_row = 50;
    size.ws_col = columns;
    pid_ = forkpty(&fd_, nullptr, nullptr, &size);
    if (pid_ < 0) throw std::runtime_error(std::string("forkpty: ") + std::strerror(errno));
    if (pid_ == 0) {
      execve(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
      _exit(127);
    }
  } else {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0) {
      int null_fd = open("/dev/null", O_RDONLY);
      if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[1], 2) < 0) {
        _exit(127);
      }
      execve(arg_ptrs[0], arg_ptrs.data(), env_ptrs.data());
      _exit(127);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
}

LiveProcess::~LiveProcess() {
  if (!exit_code_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (fd_ >= 0) close(fd_);
}

bool LiveProcess::pump(std::chrono::milliseconds budget) {
  if (eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  int ready = poll(&p, 1, static_cast<int>(budget.count()));
  if (ready < 0) return errno == EINTR;
  if (ready == 0) return true;
  char buffer[4096];
  ssize_t n = read(fd_, buffer, sizeof buffer);
  if (n > 0) {
    out_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  eof_ = true;  // 0: the pipe's writers are gone; EIO: the pty's slave side is closed
  return false;
}

bool LiveProcess::wait_for(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto at = out_.find(text, search_from_);
    if (at != std::string::npos) {
      search_from_ = at + text.size();
      return true;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || !pump(std::min(left, std::chrono::milliseconds(200)))) {
      if (eof_) return out_.find(text, search_from_) != std::string::npos;
      if (left.count() <= 0) return false;
    }
  }
}

void LiveProcess::send_line(std::string_view line) {
  std::string text(line);
  text += '\n';
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("LiveProcess: write: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
}

void LiveProcess::send_signal(int signal) {
  if (pid_ > 0 && !exit_code_) kill(pid_, signal);
}

void LiveProcess::hang_up() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  eof_ = true;
}

std::optional<int> LiveProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pump(std::chrono::milliseconds(100));
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = decode_status(status);
      // What it wrote before it ended is still buffered: take all of it.
      while (!eof_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) break;
        if (!pump(std::chrono::milliseconds(0))) break;
      }
      return exit_code_;
    }
  }
  return std::nullopt;
}

}  // namespace drover::testing
