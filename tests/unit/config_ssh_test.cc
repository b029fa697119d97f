#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "cli/config/drover_toml.h"
#include "config_test_support.h"

namespace drover::cli {
namespace {

using testing::contains;
using testing::refusal;

const std::string kSshFleet = R"([fleet]
name = "tradebot"
image = "127.0.0.1:5000/tradebot"
transport = "ssh"
)";

std::string host(const std::string& address) {
  return "\n[[hosts]]\nname = \"bot-host-17\"\naddress = \"" + address + "\"\nbots = [539]\n";
}

TEST(ConfigSsh, TransportSshWithoutATableUsesTheDefaults) {
  auto config = parse_config(kSshFleet + testing::kOneHost, "drover.toml");
  EXPECT_EQ(config.transport, TransportKind::ssh);
  EXPECT_FALSE(config.ssh.config_file);
  EXPECT_EQ(config.ssh.connect_timeout_s, 10);
  EXPECT_EQ(config.ssh.control_persist_s, 60);
}

TEST(ConfigSsh, ReadsTheSshTable) {
  auto config = parse_config(kSshFleet + testing::kOneHost +
                                 "\n[ssh]\nconfig = \"/etc/drover/ssh_config\"\n"
                                 "connect_timeout = 5\ncontrol_persist = 120\n",
                             "/srv/fleet/drover.toml");
  EXPECT_EQ(config.ssh.config_file, "/etc/drover/ssh_config");
  EXPECT_EQ(config.ssh.connect_timeout_s, 5);
  EXPECT_EQ(config.ssh.control_persist_s, 120);
}

TEST(ConfigSsh, TheConfigPathExpandsHomeAndIsRelativeToTheTomlFile) {
  const char* saved = std::getenv("HOME");
  const std::string old_home = saved ? saved : "";
  setenv("HOME", "/home/ops", 1);
  auto home = parse_config(kSshFleet + testing::kOneHost + "\n[ssh]\nconfig = \"~/.ssh/drover\"\n",
                           "drover.toml");
  saved ? setenv("HOME", old_home.c_str(), 1) : unsetenv("HOME");
  EXPECT_EQ(home.ssh.config_file, "/home/ops/.ssh/drover");
  auto relative = parse_config(kSshFleet + testing::kOneHost + "\n[ssh]\nconfig = \"ssh/config\"\n",
                               "/srv/fleet/drover.toml");
  EXPECT_EQ(relative.ssh.config_file, "/srv/fleet/ssh/config");
  EXPECT_TRUE(contains(refusal(kSshFleet + testing::kOneHost + "\n[ssh]\nconfig = \"~ops/x\"\n"),
                       "ssh.config: '~ops/x': only ~/ (your own home) is expanded"));
}

TEST(ConfigSsh, ValuesOutOfRangeAndUnknownKeysAreRefusedAtTheirLine) {
  const auto base = kSshFleet + testing::kOneHost + "\n[ssh]\n";
  EXPECT_TRUE(contains(refusal(base + "connect_timeout = 0\n"),
                       "drover.toml:11: ssh.connect_timeout: 0 s is out of range"));
  EXPECT_TRUE(contains(refusal(base + "connect_timeout = 301\n"), "give 1 to 300 seconds"));
  EXPECT_TRUE(contains(refusal(base + "control_persist = 0\n"), "ssh.control_persist: 0 s"));
  EXPECT_TRUE(contains(refusal(base + "connect_timeout = \"10\"\n"),
                       "ssh.connect_timeout: expected a number of seconds, got a string"));
  EXPECT_TRUE(contains(refusal(base + "conect_timeout = 10\n"), "connect_timeout"));
  EXPECT_NE(refusal(base + "conect_timeout = 10\n"), "");
  EXPECT_TRUE(contains(refusal(base + "config = \"\"\n"), "ssh.config: is empty"));
}

TEST(ConfigSsh, AnSshTableWithAnotherTransportIsAnError) {
  EXPECT_TRUE(
      contains(refusal(testing::kFleet + testing::kOneHost + "\n[ssh]\nconnect_timeout = 5\n"),
               "an [ssh] table is only read with transport = \"ssh\""));
}

TEST(ConfigSsh, AcceptsEveryAddressForm) {
  for (const char* address : {"bot-host-17", "deploy@10.0.0.5", "10.0.0.5:2222",
                              "deploy@10.0.0.5:2222", "[fd00::17]:22", "fd00::17"}) {
    auto config = parse_config(kSshFleet + host(address), "drover.toml");
    EXPECT_EQ(config.fleet.hosts()[0].address, address);
  }
}

TEST(ConfigSsh, ABadAddressNamesTheKeyAndTheAcceptedForms) {
  const auto text = refusal(kSshFleet + host("root@host:99999"));
  EXPECT_TRUE(contains(text,
                       "drover.toml:8: hosts[0].address: 'root@host:99999' is not an ssh "
                       "address: the port '99999' is not a number from 1 to 65535"));
  EXPECT_TRUE(contains(text, "user@host:port"));
  EXPECT_TRUE(contains(refusal(kSshFleet + host("user@")), "hosts[0].address"));
  // The same address is fine for the local transport, which never uses it.
  EXPECT_EQ(refusal(testing::kFleet + host("root@host:99999")), "");
}

}  // namespace
}  // namespace drover::cli
