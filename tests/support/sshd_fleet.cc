#include "support/sshd_fleet.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "util/subprocess.h"

extern char** environ;

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "drover-sshd-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void run_or_throw(const std::vector<std::string>& argv) {
  PosixProcessRunner runner;
  ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  auto result = runner.run(argv, options);
  if (result.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("{} failed ({}): {}", fmt::join(argv, " "), result.exit_code, result.err));
  }
}

// A loopback port nobody listens on now (the kernel's choice for port 0).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// Parent pid and command name (comm) of every process now.
struct ProcInfo {
  pid_t ppid = 0;
  std::string comm;
};
std::map<pid_t, ProcInfo> processes() {
  std::map<pid_t, ProcInfo> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto stat = read_text(entry.path() / "stat");
    auto open = stat.find('(');
    auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    ProcInfo info;
    info.comm = stat.substr(open + 1, close - open - 1);
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    rest >> state >> info.ppid;
    out[std::stoi(name)] = info;
  }
  return out;
}

}  // namespace

SshdFleet::SshdFleet(std::vector<std::string> host_names) : root_(make_temp_dir()) {
  // sshd's privilege separation directory, and the mount point every host's directory is
  // bound to inside its own namespace (the real one stays an empty directory).
  fs::create_directories("/run/sshd");
  fs::permissions("/run/sshd", fs::perms(0755));
  fs::create_directories(kHostMount);
  run_or_throw({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-test-client", "-f",
                (root_ / "client_key").string()});
  fs::copy_file(root_ / "client_key.pub", root_ / "authorized_keys");
  write_text(root_ / "ssh_config", fmt::format("Host *\n"
                                               "  User root\n"
                                               "  IdentityFile {0}/client_key\n"
                                               "  IdentitiesOnly yes\n"
                                               "  UserKnownHostsFile {0}/known_hosts\n"
                                               "  GlobalKnownHostsFile /dev/null\n"
                                               "  UpdateHostKeys no\n"
                                               "  PasswordAuthentication no\n",
                                               root_.string()));
  for (const auto& name : host_names) {
    Host h;
    h.port = free_port();
    h.sshd_dir = root_ / "sshd" / name;
    h.dir = root_ / "hosts" / name;
    fs::create_directories(h.sshd_dir);
    fs::create_directories(h.dir / "bin");
    fs::create_directories(h.dir / "root");
    make_host_key(h);
    write_text(h.sshd_dir / "sshd_config",
               fmt::format("ListenAddress 127.0.0.1\n"
                           "Port {port}\n"
                           "HostKey {dir}/host_key\n"
                           "PidFile {dir}/sshd.pid\n"
                           "AuthorizedKeysFile {root}/authorized_keys\n"
                           "PermitRootLogin prohibit-password\n"
                           "PasswordAuthentication no\n"
                           "KbdInteractiveAuthentication no\n"
                           "UsePAM no\n"
                           "StrictModes no\n"
                           "SetEnv DROVER_AGENT_ROOT={mount}/root "
                           "DROVER_AGENT_LOCK={mount}/drover-agent.lock\n",
                           fmt::arg("port", h.port), fmt::arg("dir", h.sshd_dir.string()),
                           fmt::arg("root", root_.string()), fmt::arg("mount", kHostMount)));
    known_keys_[name] = read_text(h.sshd_dir / "host_key.pub");
    hosts_[name] = h;
  }
  write_known_hosts();
  try {
    for (const auto& name : host_names) start(name);
  } catch (...) {
    for (const auto& name : host_names) stop(name);
    std::error_code ignored;
    fs::remove_all(root_, ignored);
    throw;
  }
}

SshdFleet::~SshdFleet() {
  for (const auto& [name, h] : hosts_) {
    try {
      stop(name);
    } catch (const std::exception&) {
      // The sshd went already; nothing left to stop.
    }
  }
  std::error_code ignored;
  fs::remove_all(root_, ignored);
}

const SshdFleet::Host& SshdFleet::host(const std::string& name) const {
  auto it = hosts_.find(name);
  if (it == hosts_.end()) throw std::out_of_range("no sshd host " + name);
  return it->second;
}

SshdFleet::Host& SshdFleet::host(const std::string& name) {
  auto it = hosts_.find(name);
  if (it == hosts_.end()) throw std::out_of_range("no sshd host " + name);
  return it->second;
}

std::string SshdFleet::ssh_config_path() const {
  return (root_ / "ssh_config").string();
}

std::string SshdFleet::address(const std::string& name) const {
  return fmt::format("root@127.0.0.1:{}", host(name).port);
}

fs::path SshdFleet::host_dir(const std::string& name) const {
  return host(name).dir;
}

std::string SshdFleet::agent_path() const {
  return std::string(kHostMount) + "/bin/drover-agent";
}

void SshdFleet::install_agent(const std::string& name, const std::string& binary) {
  const auto target = host(name).dir / "bin" / "drover-agent";
  fs::copy_file(binary, target, fs::copy_options::overwrite_existing);
  fs::permissions(target, fs::perms(0755));
}

void SshdFleet::make_host_key(Host& h) {
  std::error_code ignored;
  fs::remove(h.sshd_dir / "host_key", ignored);
  fs::remove(h.sshd_dir / "host_key.pub", ignored);
  run_or_throw({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "drover-test-host", "-f",
                (h.sshd_dir / "host_key").string()});
}

void SshdFleet::write_known_hosts() {
  std::string text;
  for (const auto& [name, key] : known_keys_) {
    // "ssh-ed25519 AAAA… comment": known_hosts wants the type and the key.
    std::istringstream words(key);
    std::string type, base64;
    words >> type >> base64;
    text += fmt::format("[127.0.0.1]:{} {} {}\n", host(name).port, type, base64);
  }
  write_text(root_ / "known_hosts", text);
}

void SshdFleet::start(const std::string& name) {
  Host& h = host(name);
  if (h.pid > 0) return;
  const std::string script =
      fmt::format("mount --bind '{}' '{}' && exec /usr/sbin/sshd -D -e -f '{}'", h.dir.string(),
                  kHostMount, (h.sshd_dir / "sshd_config").string());
  std::vector<std::string> args{"unshare", "-m", "--propagation", "private",
                                "/bin/sh", "-c", script};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const auto log = (h.sshd_dir / "sshd.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "unshare", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start unshare for sshd " + name);
  h.pid = pid;
  // Up when its port accepts; a safety net of 20 s against an sshd that never comes up.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts(h.port)) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid || std::chrono::steady_clock::now() > deadline) {
      if (h.pid > 0 && kill(pid, SIGKILL) == 0) waitpid(pid, &status, 0);
      h.pid = -1;
      throw std::runtime_error(fmt::format("sshd for {} did not start: {}", name, read_text(log)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void SshdFleet::kill_sessions(const Host& h) {
  // Every sshd below the listener serves a connection (its monitor and its session process);
  // what the sessions run (the agent) is not sshd and is left alone.
  const auto all = processes();
  std::set<pid_t> below{h.pid};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& [pid, info] : all) {
      if (below.contains(info.ppid) && below.insert(pid).second) grew = true;
    }
  }
  for (pid_t pid : below) {
    auto it = all.find(pid);
    if (pid != h.pid && it != all.end() && it->second.comm == "sshd") kill(pid, SIGKILL);
  }
}

void SshdFleet::drop_connections(const std::string& name) {
  const Host& h = host(name);
  if (h.pid > 0) kill_sessions(h);
}

void SshdFleet::stop(const std::string& name) {
  Host& h = host(name);
  if (h.pid <= 0) return;
  kill_sessions(h);
  kill(h.pid, SIGKILL);
  int status = 0;
  waitpid(h.pid, &status, 0);
  h.pid = -1;
}

void SshdFleet::change_host_key(const std::string& name) {
  stop(name);
  make_host_key(host(name));
  start(name);
}

std::vector<pid_t> SshdFleet::agent_pids() const {
  std::vector<pid_t> out;
  const auto want = agent_path();
  for (const auto& [pid, info] : processes()) {
    auto cmdline = read_text(fs::path("/proc") / std::to_string(pid) / "cmdline");
    if (cmdline.substr(0, cmdline.find('\0')) == want) out.push_back(pid);
  }
  return out;
}

std::string ssh_toml(const std::string& local_toml, const SshdFleet& sshd,
                     const std::string& ssh_extra) {
  std::istringstream in(local_toml);
  std::string out;
  std::string line;
  bool in_host = false;
  while (std::getline(in, line)) {
    if (line == "transport = \"local\"") {
      out += fmt::format("transport = \"ssh\"\nagent_path = \"{}\"\n", sshd.agent_path());
      continue;
    }
    out += line + "\n";
    if (line.starts_with('[')) in_host = line == "[[hosts]]";
    if (in_host && line.starts_with("name = \"")) {
      auto name = line.substr(8, line.size() - 9);
      if (sshd.serves(name)) out += fmt::format("address = \"{}\"\n", sshd.address(name));
    }
  }
  out += fmt::format("\n[ssh]\nconfig = \"{}\"\n{}", sshd.ssh_config_path(), ssh_extra);
  return out;
}

}  // namespace drover::testing
