#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace drover {
namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      throw std::runtime_error(std::string("pipe: ") + strerror(errno));
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
  // The child gets its own process group so a timeout can kill everything it started.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attr, &no_signals);

  auto args = argv;
  auto arg_ptrs = c_strings(args);
  auto env = merged_environment(options.extra_env);
  auto env_ptrs = c_strings(env);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0].c_str(), &actions, &attr, arg_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("cannot run " + argv[0] + ": " + strerror(rc));

  in.close_read();
  out.close_write();
  err.close_write();

  ProcessResult result;
  size_t stdin_written = 0;
  if (options.stdin_data.empty()) in.close_write();
  auto deadline = options.timeout
                      ? std::optional(std::chrono::steady_clock::now() + *options.timeout)
                      : std::nullopt;
  std::array<char, 65536> buffer;
  while (out.read_end >= 0 || err.read_end >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    for (int fd : {out.read_end, err.read_end}) {
      if (fd >= 0) fds[count++] = {fd, POLLIN, 0};
    }
    if (in.write_end >= 0) fds[count++] = {in.write_end, POLLOUT, 0};
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *deadline - std::chrono::steady_clock::now());
      wait_ms = static_cast<int>(std::max<long long>(0, left.count()));
    }
    int ready = poll(fds.data(), count, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      kill(-pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.write_end) {
        ssize_t n = write(in.write_end, options.stdin_data.data() + stdin_written,
                          options.stdin_data.size() - stdin_written);
        if (n > 0) stdin_written += static_cast<size_t>(n);
        if (n < 0 || stdin_written == options.stdin_data.size()) in.close_write();
        continue;
      }
      ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n > 0) {
        (fds[i].fd == out.read_end ? result.out : result.err)
            .append(buffer.data(), static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        if (fds[i].fd == out.read_end)
          out.close_read();
        else
          err.close_read();
      }
    }
  }
  in.close_write();

  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace drover
