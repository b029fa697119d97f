#include "transport/ssh/ssh_command.h"

#include <fmt/format.h>

namespace drover::transport {
namespace {

std::vector<std::string> common_options(const SshSettings& settings, const std::string& control_dir,
                                        const SshAddress& address) {
  std::vector<std::string> argv{"ssh"};
  if (settings.config_file) {
    argv.insert(argv.end(), {"-F", *settings.config_file});
  }
  auto option = [&argv](std::string text) {
    argv.push_back("-o");
    argv.push_back(std::move(text));
  };
  option("BatchMode=yes");
  option(fmt::format("ConnectTimeout={}", settings.connect_timeout_s));
  option("StrictHostKeyChecking=yes");
  option("ControlMaster=auto");
  option(fmt::format("ControlPath={}/%C", control_dir));
  option(fmt::format("ControlPersist={}", settings.control_persist_s));
  option(fmt::format("ServerAliveInterval={}", kServerAliveIntervalS));
  option(fmt::format("ServerAliveCountMax={}", kServerAliveCountMax));
  if (address.port) {
    argv.insert(argv.end(), {"-p", std::to_string(*address.port)});
  }
  if (!address.user.empty()) {
    argv.insert(argv.end(), {"-l", address.user});
  }
  return argv;
}

}  // namespace

std::vector<std::string> ssh_argv(const SshSettings& settings, const std::string& control_dir,
                                  const SshAddress& address, const std::string& remote_command) {
  auto argv = common_options(settings, control_dir, address);
  argv.insert(argv.end(), {"--", address.host, remote_command});
  return argv;
}

std::vector<std::string> ssh_control_exit_argv(const SshSettings& settings,
                                               const std::string& control_dir,
                                               const SshAddress& address) {
  auto argv = common_options(settings, control_dir, address);
  argv.insert(argv.end(), {"-O", "exit", "--", address.host});
  return argv;
}

}  // namespace drover::transport
