#pragma once
// A directory tree standing in for a host's / (`drover-agent baseline --root DIR` or
// DROVER_AGENT_ROOT): systemd's docker.service unit (copied from this machine, so the real
// `systemctl --root=DIR` works on it offline), the /run/systemd/system marker, /etc/resolv.conf,
// /etc/docker/daemon.json and Docker's data root. Built with docker disabled at boot and the
// given resolv.conf mode, so tests can break and repair it.
#include <filesystem>
#include <string>

namespace drover::testing {

/// Fills `root` (created if missing): docker disabled at boot, resolv.conf with
/// `resolv_mode`, daemon.json with the local log driver, an empty var/lib/docker.
void make_host_root(const std::filesystem::path& root, unsigned resolv_mode);

/// Whether `systemctl --root=<root> enable docker` has been done (its symlink exists).
bool docker_enabled_in(const std::filesystem::path& root);

/// Permission bits of <root>/<relative>.
unsigned mode_in(const std::filesystem::path& root, const std::string& relative);

/// A fresh temporary host root, removed at the end.
class HostRoot {
 public:
  explicit HostRoot(unsigned resolv_mode = 0640);
  ~HostRoot();
  HostRoot(const HostRoot&) = delete;
  HostRoot& operator=(const HostRoot&) = delete;

  const std::filesystem::path& path() const { return path_; }
  bool docker_enabled() const { return docker_enabled_in(path_); }
  unsigned mode(const std::string& relative) const { return mode_in(path_, relative); }

 private:
  std::filesystem::path path_;
};

}  // namespace drover::testing
