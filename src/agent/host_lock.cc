#include "agent/host_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace drover::agent {
namespace {

std::string errno_text(int error) {
  return std::system_category().message(error);
}

// The record the holder keeps in the lock file: "<pid> <command>", then one line per engine
// request in flight (agent/in_flight_request.h).
std::string read_record(int fd) {
  std::string record;
  char buffer[4096];
  for (off_t at = 0;;) {
    const auto n = pread(fd, buffer, sizeof buffer, at);
    if (n <= 0) {
      return record;
    }
    record.append(buffer, static_cast<std::size_t>(n));
    at += n;
  }
}

// "drover-agent <command> (pid <pid>)" from the record's first line, for log lines.
std::string holder_of(const std::string& record) {
  const auto line = record.substr(0, record.find('\n'));
  const auto space = line.find(' ');
  if (space == std::string::npos || space + 1 == line.size()) {
    return "another drover-agent";
  }
  return "drover-agent " + line.substr(space + 1) + " (pid " + line.substr(0, space) + ")";
}

std::optional<UnansweredRequests> unanswered_in(const std::string& record) {
  UnansweredRequests unanswered{holder_of(record), {}};
  std::istringstream lines(record);
  std::string line;
  std::getline(lines, line);  // the holder
  while (std::getline(lines, line)) {
    if (auto request = from_record_line(line)) {
      unanswered.requests.push_back(std::move(*request));
    }
  }
  if (unanswered.requests.empty()) {
    return std::nullopt;
  }
  return unanswered;
}

}  // namespace

FileHostLock::~FileHostLock() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

std::optional<UnansweredRequests> FileHostLock::acquire(std::string_view command,
                                                        ProgressLog& log) {
  if (fd_ >= 0) {
    return std::nullopt;
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
    log.line("waiting: " + holder_of(read_record(fd)) + " holds this host's swap lock (" + path_ +
             "); this " + std::string(command) + " starts when it ends");
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
  // What the previous holder left: it holds no lock, so it is gone, and an in-flight line
  // means it died before the engine answered it.
  auto unanswered = unanswered_in(read_record(fd_));
  holder_line_ = std::to_string(getpid()) + " " + std::string(command) + "\n";
  write_record(holder_line_);
  return unanswered;
}

void FileHostLock::record_requests_in_flight(const std::vector<InFlightRequest>& requests) {
  if (fd_ < 0) {
    return;
  }
  auto record = holder_line_;
  for (const auto& request : requests) {
    record += to_record_line(request) + "\n";
  }
  write_record(record);
}

// Best effort: the record only tells a waiting agent whom it waits for, and the next holder
// what may still land. One pwrite, then the tail cut: a death in between leaves the new text
// followed by old bytes: at worst old in-flight lines (or a torn one, which is not read) that make
// the next holder wait for requests that had landed.
void FileHostLock::write_record(const std::string& text) {
  if (pwrite(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size())) {
    [[maybe_unused]] auto cut = ftruncate(fd_, static_cast<off_t>(text.size()));
  }
}

std::string host_lock_path(const char* from_environment) {
  return from_environment && *from_environment ? from_environment : kDefaultHostLockPath;
}

}  // namespace drover::agent
