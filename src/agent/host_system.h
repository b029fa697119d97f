#pragma once
// The host's file system and programs, as `drover-agent baseline` needs them. Paths are the
// host's absolute paths ("/etc/resolv.conf"); the real side resolves them under a root prefix,
// "/" on a host and a temporary directory in tests (`drover-agent baseline --root DIR`), so the
// checks run unchanged against a fake /etc. Programs (systemctl) run on the real machine through
// the given ProcessRunner (tests substitute a recording runner); a check that runs a program on
// the host's files points it at root() (systemctl --root=DIR).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace drover::agent {

class HostSystem {
 public:
  virtual ~HostSystem() = default;

  /// The directory the host's paths resolve under: "/" on a real host.
  virtual std::string root() const = 0;

  /// Permission bits (07777) of the file `path` refers to, following symlinks;
  /// nullopt when it does not exist. Other failures throw std::system_error.
  virtual std::optional<unsigned> file_mode(const std::string& path) = 0;
  /// chmod, following symlinks. Throws std::system_error.
  virtual void set_file_mode(const std::string& path, unsigned mode) = 0;
  virtual bool exists(const std::string& path) = 0;
  /// The whole file; nullopt when it does not exist. Other failures throw std::system_error.
  virtual std::optional<std::string> read_file(const std::string& path) = 0;
  /// Replaces `path` all at once (a temporary file in the same directory, synced, then renamed
  /// over it): a crash leaves the old or the new contents, never half a file. Missing parent
  /// directories are created (0755). Throws std::system_error.
  virtual void write_file_atomic(const std::string& path, const std::string& contents,
                                 unsigned mode) = 0;
  /// Bytes an unprivileged writer could still use on the file system holding `path`.
  virtual std::int64_t free_bytes(const std::string& path) = 0;
  /// Runs a program on the host (argv only, never a shell). See ProcessRunner::run.
  virtual ProcessResult run(const std::vector<std::string>& argv,
                            const ProcessOptions& options = {}) = 0;
};

/// The real side: POSIX calls under `root`. Not final, so tests can script free_bytes.
/// Symlinks are followed as the kernel does; with a root other than "/" an absolute symlink
/// target points outside it, which tests avoid by not creating such links.
class PosixHostSystem : public HostSystem {
 public:
  PosixHostSystem(std::string root, ProcessRunner& runner);

  std::string root() const override;

  std::optional<unsigned> file_mode(const std::string& path) override;
  void set_file_mode(const std::string& path, unsigned mode) override;
  bool exists(const std::string& path) override;
  std::optional<std::string> read_file(const std::string& path) override;
  void write_file_atomic(const std::string& path, const std::string& contents,
                         unsigned mode) override;
  std::int64_t free_bytes(const std::string& path) override;
  ProcessResult run(const std::vector<std::string>& argv,
                    const ProcessOptions& options = {}) override;

  /// Where `path` (absolute, on the host) really is: root + path. Throws
  /// std::invalid_argument for a relative path.
  std::string real_path(const std::string& path) const;

 private:
  std::string root_;  // without a trailing '/'; empty for "/"
  ProcessRunner& runner_;
};

}  // namespace drover::agent
