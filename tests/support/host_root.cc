#include "support/host_root.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

// Debian's docker.io installs it here; the test machine has it (scripts/setup.sh).
const char* const kDockerUnit = "/lib/systemd/system/docker.service";

void write(const fs::path& path, const std::string& text, unsigned mode) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::trunc) << text;
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod " + path.string());
}

}  // namespace

void make_host_root(const fs::path& root, unsigned resolv_mode) {
  fs::create_directories(root / "lib/systemd/system");
  fs::copy_file(kDockerUnit, root / "lib/systemd/system/docker.service",
                fs::copy_options::overwrite_existing);
  fs::create_directories(root / "run/systemd/system");
  fs::create_directories(root / "var/lib/docker");
  fs::remove(root / "etc/systemd/system/multi-user.target.wants/docker.service");
  write(root / "etc/resolv.conf", "nameserver 127.0.0.53\n", resolv_mode);
  write(root / "etc/docker/daemon.json", "{\"log-driver\": \"local\"}\n", 0644);
}

bool docker_enabled_in(const fs::path& root) {
  std::error_code ignored;
  return fs::is_symlink(root / "etc/systemd/system/multi-user.target.wants/docker.service",
                        ignored);
}

unsigned mode_in(const fs::path& root, const std::string& relative) {
  struct stat st {};
  if (::stat((root / relative).c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

HostRoot::HostRoot(unsigned resolv_mode) {
  std::string pattern = (fs::temp_directory_path() / "drover-host-root-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
  make_host_root(path_, resolv_mode);
}

HostRoot::~HostRoot() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace drover::testing
