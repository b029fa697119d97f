#include "agent/host_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace drover::agent {
namespace {

std::string errno_text(int error) {
  return std::system_category().message(error);
}

// What the holder wrote: "<pid> <command>", for the waiting agent's log line.
std::string holder_of(int fd) {
  char buffer[128] = {};
  const auto n = pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) {
    return "another drover-agent";
  }
  std::string text(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
    text.pop_back();
  }
  const auto space = text.find(' ');
  if (space == std::string::npos) {
    return "another drover-agent";
  }
  return "drover-agent " + text.substr(space + 1) + " (pid " + text.substr(0, space) + ")";
}

}  // namespace

FileHostLock::~FileHostLock() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

void FileHostLock::acquire(std::string_view command, ProgressLog& log) {
  if (fd_ >= 0) {
    return;
  }
  const std::filesystem::path path(path_);
  std::error_code ignored;
  // A minimal host (a FROM scratch container) may have no /run/lock yet.
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ignored);
  }
  const int fd = open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot open the host's swap lock " + path_ + ": " +
                             errno_text(errno) +
                             " (run the agent as root, or set DROVER_AGENT_LOCK to a writable "
                             "file)");
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      const int error = errno;
      close(fd);
      throw std::runtime_error("cannot lock " + path_ + ": " + errno_text(error));
    }
    log.line("waiting: " + holder_of(fd) + " holds this host's swap lock (" + path_ + "); this " +
             std::string(command) + " starts when it ends");
    while (flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        const int error = errno;
        close(fd);
        throw std::runtime_error("cannot lock " + path_ + ": " + errno_text(error));
      }
    }
    log.line("the host's swap lock is free: " + std::string(command) + " starts");
  }
  fd_ = fd;
  const std::string holder = std::to_string(getpid()) + " " + std::string(command) + "\n";
  // Best effort: the line only tells a waiting agent whom it waits for.
  if (ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] auto written = pwrite(fd_, holder.data(), holder.size(), 0);
  }
}

std::string host_lock_path(const char* from_environment) {
  return from_environment && *from_environment ? from_environment : kDefaultHostLockPath;
}

}  // namespace drover::agent
