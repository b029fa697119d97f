#include "agent/host_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace drover::agent {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::string& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path);
}

// Closes on every path out, so an exception between open and close leaks nothing.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void make_directories(const std::string& dir) {
  if (dir.empty() || dir == "/" || dir == ".") return;
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      throw_errno("create directory", dir);
    }
    return;
  }
  make_directories(parent_of(dir));
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_errno("create directory", dir);
}

void write_all(int fd, const std::string& contents, const std::string& path) {
  std::size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("write", path);
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

PosixHostSystem::PosixHostSystem(std::string root, ProcessRunner& runner)
    : root_(std::move(root)), runner_(runner) {
  while (!root_.empty() && root_.back() == '/') root_.pop_back();
}

std::string PosixHostSystem::root() const {
  return root_.empty() ? "/" : root_;
}

std::string PosixHostSystem::real_path(const std::string& path) const {
  if (path.empty() || path.front() != '/') {
    throw std::invalid_argument("host path '" + path + "' is not absolute");
  }
  return root_ + path;
}

std::optional<unsigned> PosixHostSystem::file_mode(const std::string& path) {
  auto real = real_path(path);
  struct stat st {};
  if (::stat(real.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw_errno("stat", real);
  }
  return static_cast<unsigned>(st.st_mode & 07777);
}

void PosixHostSystem::set_file_mode(const std::string& path, unsigned mode) {
  auto real = real_path(path);
  if (::chmod(real.c_str(), static_cast<mode_t>(mode)) != 0) throw_errno("chmod", real);
}

bool PosixHostSystem::exists(const std::string& path) {
  auto real = real_path(path);
  struct stat st {};
  return ::stat(real.c_str(), &st) == 0;
}

std::optional<std::string> PosixHostSystem::read_file(const std::string& path) {
  auto real = real_path(path);
  FileDescriptor fd(::open(real.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw_errno("open", real);
  }
  std::string contents;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("read", real);
    if (n == 0) break;
    contents.append(buffer, static_cast<std::size_t>(n));
  }
  return contents;
}

void PosixHostSystem::write_file_atomic(const std::string& path, const std::string& contents,
                                        unsigned mode) {
  auto real = real_path(path);
  auto dir = parent_of(real);
  make_directories(dir);

  std::string temp = real + ".drover-XXXXXX";
  FileDescriptor fd(::mkstemp(temp.data()));
  if (fd.get() < 0) throw_errno("create a temporary file next to", real);
  try {
    write_all(fd.get(), contents, temp);
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) throw_errno("chmod", temp);
    // The data must be on disk before the rename makes it the file: otherwise a power cut
    // can leave an empty daemon.json, and dockerd refuses to start on it.
    if (::fsync(fd.get()) != 0) throw_errno("fsync", temp);
    if (::close(fd.release()) != 0) throw_errno("close", temp);
    if (::rename(temp.c_str(), real.c_str()) != 0) throw_errno("rename over", real);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  FileDescriptor dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());  // best effort: the rename itself succeeded
}

std::int64_t PosixHostSystem::free_bytes(const std::string& path) {
  auto real = real_path(path);
  struct statvfs fs {};
  if (::statvfs(real.c_str(), &fs) != 0) throw_errno("statvfs", real);
  return static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
}

ProcessResult PosixHostSystem::run(const std::vector<std::string>& argv,
                                   const ProcessOptions& options) {
  return runner_.run(argv, options);
}

}  // namespace drover::agent
