#pragma once
// Real OpenSSH servers for tests: one sshd per logical host on its own loopback port, each with
// its own host key (and a known_hosts entry for it), all accepting one throwaway client key.
// Their sessions run on this machine, so the bots they manage live on the local Docker engine,
// like the local transport's; what differs is that every agent call goes through real ssh.
//
// Each sshd runs in its own mount namespace where its host's private directory is bind-mounted
// at kHostMount: inside that host's sessions, kHostMount/bin/drover-agent is that host's agent
// and kHostMount/root its file system root for baseline checks (DROVER_AGENT_ROOT, set by
// sshd's SetEnv). Nothing here reads or writes the real ~/.ssh: the client side is the
// ssh_config file (ssh -F), which names the key, the known_hosts file and the user.
// Needs root (mount, unshare), /usr/sbin/sshd and ssh-keygen.
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace drover::testing {

class SshdFleet {
 public:
  static constexpr const char* kHostMount = "/run/drover-test-host";

  /// Makes the keys and configs and starts one sshd per name (throws when one does not start).
  explicit SshdFleet(std::vector<std::string> host_names);
  /// Stops every sshd (and its sessions) and removes the files.
  ~SshdFleet();
  SshdFleet(const SshdFleet&) = delete;
  SshdFleet& operator=(const SshdFleet&) = delete;

  /// The client's ssh_config, for [ssh] config = ...
  std::string ssh_config_path() const;
  /// "root@127.0.0.1:PORT".
  std::string address(const std::string& host) const;
  /// The host's private directory, seen as kHostMount inside its sessions.
  std::filesystem::path host_dir(const std::string& host) const;
  /// kHostMount + "/bin/drover-agent": the agent path as every host sees it.
  std::string agent_path() const;
  /// Copies `binary` to host_dir(host)/bin/drover-agent (mode 0755).
  void install_agent(const std::string& host, const std::string& binary);

  /// Kills the host's sshd listener and every session it serves (the host goes away).
  void stop(const std::string& host);
  /// Starts it again on the same port with the same host key.
  void start(const std::string& host);
  /// Kills the sessions (connections) the host's sshd serves, leaving the listener up: what a
  /// dropped network path does to the connections in flight. Processes the sessions started
  /// (the agent) keep running.
  void drop_connections(const std::string& host);
  /// Gives the host a new host key and restarts its sshd; known_hosts keeps the old one.
  void change_host_key(const std::string& host);

  /// Whether `host` is one of this fleet's.
  bool serves(const std::string& host) const { return hosts_.contains(host); }
  /// Processes running agent_path() on any host (their argv[0] is that path).
  std::vector<pid_t> agent_pids() const;

 private:
  struct Host {
    int port = 0;
    std::filesystem::path sshd_dir;  // sshd_config, host key, pid file, log
    std::filesystem::path dir;       // the host's private directory
    pid_t pid = -1;                  // the listener, or -1 when stopped
  };
  const Host& host(const std::string& name) const;
  Host& host(const std::string& name);
  void make_host_key(Host& h);
  void write_known_hosts();
  void kill_sessions(const Host& h);

  std::filesystem::path root_;
  std::map<std::string, Host> hosts_;
  std::map<std::string, std::string> known_keys_;  // host → the key known_hosts holds
};

/// `local_toml` (a DroverFleet's config_text()) as the same fleet over ssh: transport = "ssh",
/// agent_path = sshd.agent_path(), each [[hosts]] entry served by `sshd` given its address,
/// and [ssh] config = sshd.ssh_config_path(), plus `ssh_extra` lines in that table.
std::string ssh_toml(const std::string& local_toml, const SshdFleet& sshd,
                     const std::string& ssh_extra = "");

}  // namespace drover::testing
