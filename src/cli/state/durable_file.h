#pragma once
// The few POSIX file steps the journal and the lock need to survive a crash of drover or of
// the machine: an owning file descriptor, a write that finishes or throws, fsync of a
// directory (so a newly created file's name is durable too), and reading a small file whole.
// Every failure throws std::system_error whose what() names the path.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

/// Owns one open file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

/// open(2) with O_CLOEXEC added; throws std::system_error naming `path` and `what` on failure.
UniqueFd open_file(const std::filesystem::path& path, int flags, int mode, std::string_view what);

/// Writes all of `data` (one write() unless the kernel takes less), then fsync.
void write_and_sync(int fd, std::string_view data, const std::filesystem::path& path);

/// fsync of a directory, making the creation or removal of a name in it durable.
void sync_directory(const std::filesystem::path& dir);

/// The whole file; nullopt when it does not exist.
std::optional<std::string> read_text_file(const std::filesystem::path& path);

}  // namespace drover::cli
