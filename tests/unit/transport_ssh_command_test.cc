#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/ssh/ssh_command.h"
#include "transport/ssh/ssh_install.h"
#include "util/shell_quote.h"

namespace drover::transport {
namespace {

using Argv = std::vector<std::string>;

const Argv kOptions{"-o", "BatchMode=yes",
                    "-o", "ConnectTimeout=7",
                    "-o", "StrictHostKeyChecking=yes",
                    "-o", "ControlMaster=auto",
                    "-o", "ControlPath=/tmp/drover-ssh-abc/%C",
                    "-o", "ControlPersist=45",
                    "-o", "ServerAliveInterval=15",
                    "-o", "ServerAliveCountMax=4"};

Argv concat(std::initializer_list<Argv> parts) {
  Argv out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

SshSettings settings(std::optional<std::string> config = std::nullopt) {
  return {std::move(config), 7, 45};
}

TEST(TransportSshCommand, BuildsTheArgvExactly) {
  const auto argv = ssh_argv(settings("/etc/drover/ssh_config"), "/tmp/drover-ssh-abc",
                             {"deploy", "10.0.0.5", 2222}, "/usr/local/bin/drover-agent version");
  EXPECT_EQ(argv, concat({{"ssh", "-F", "/etc/drover/ssh_config"},
                          kOptions,
                          {"-p", "2222", "-l", "deploy", "--", "10.0.0.5",
                           "/usr/local/bin/drover-agent version"}}));
}

TEST(TransportSshCommand, LeavesUserPortAndConfigToSshWhenNotGiven) {
  const auto argv =
      ssh_argv(settings(), "/tmp/drover-ssh-abc", {"", "bot-host-17", std::nullopt}, "cmd");
  EXPECT_EQ(argv, concat({{"ssh"}, kOptions, {"--", "bot-host-17", "cmd"}}));
}

TEST(TransportSshCommand, ClosesTheControlMasterOfTheSameHost) {
  const auto argv = ssh_control_exit_argv(settings(), "/tmp/drover-ssh-abc", {"root", "::1", 2201});
  EXPECT_EQ(argv,
            concat({{"ssh"}, kOptions, {"-p", "2201", "-l", "root", "-O", "exit", "--", "::1"}}));
}

TEST(TransportSshCommand, HostileArgumentsReachTheRemoteShellAsOneWordEach) {
  const Argv agent{"/opt/my agent/drover-agent",
                   "swap",
                   "--template",
                   R"j({"Env":["A=$(reboot)","B=`id`; rm -rf /"]})j",
                   "it's",
                   ""};
  const auto command = shell_command(agent);
  EXPECT_EQ(
      command,
      R"q('/opt/my agent/drover-agent' swap --template '{"Env":["A=$(reboot)","B=`id`; rm -rf /"]}' 'it'\''s' '')q");
  const auto argv = ssh_argv(settings(), "/d", {"", "h", std::nullopt}, command);
  EXPECT_EQ(argv.back(), command) << "the remote command is exactly one argument";
  EXPECT_EQ(argv[argv.size() - 3], "--") << "nothing after -- can be read as an ssh option";
}

TEST(TransportSshCommand, InstallScriptsQuoteThePathAndStageBesideIt) {
  EXPECT_EQ(staged_agent_path("/usr/local/bin/drover-agent"),
            "/usr/local/bin/drover-agent.drover-new");
  EXPECT_EQ(commit_agent_command("/opt/a b/drover-agent"),
            "/bin/sh -c 'mv -f '\\''/opt/a b/drover-agent.drover-new'\\'' '\\''/opt/a "
            "b/drover-agent'\\'''");
  EXPECT_EQ(discard_agent_command("/usr/local/bin/drover-agent"),
            "/bin/sh -c 'rm -f /usr/local/bin/drover-agent.drover-new'");
  const auto stage = stage_agent_command("/usr/local/bin/drover-agent");
  EXPECT_EQ(stage,
            "/bin/sh -c 'umask 022 && mkdir -p /usr/local/bin && cat > "
            "/usr/local/bin/drover-agent.drover-new && chmod 755 "
            "/usr/local/bin/drover-agent.drover-new || { echo cannot write "
            "/usr/local/bin/drover-agent.drover-new >&2; rm -f "
            "/usr/local/bin/drover-agent.drover-new; exit 70; }\n"
            "exec /usr/local/bin/drover-agent.drover-new version'");
}

}  // namespace
}  // namespace drover::transport
