#include <gtest/gtest.h>

#include <stdexcept>

#include "transport/ssh/ssh_address.h"

namespace drover::transport {
namespace {

TEST(TransportSshAddress, AcceptsEveryDocumentedForm) {
  EXPECT_EQ(parse_ssh_address("bot-host-17"), (SshAddress{"", "bot-host-17", std::nullopt}));
  EXPECT_EQ(parse_ssh_address("deploy@10.0.0.5"), (SshAddress{"deploy", "10.0.0.5", std::nullopt}));
  EXPECT_EQ(parse_ssh_address("10.0.0.5:2222"), (SshAddress{"", "10.0.0.5", 2222}));
  EXPECT_EQ(parse_ssh_address("root@127.0.0.1:2201"), (SshAddress{"root", "127.0.0.1", 2201}));
  EXPECT_EQ(parse_ssh_address("[fd00::17]:22"), (SshAddress{"", "fd00::17", 22}));
  EXPECT_EQ(parse_ssh_address("ops@[fd00::17]:2222"), (SshAddress{"ops", "fd00::17", 2222}));
  EXPECT_EQ(parse_ssh_address("[::1]"), (SshAddress{"", "::1", std::nullopt}));
  EXPECT_EQ(parse_ssh_address("fd00::17"), (SshAddress{"", "fd00::17", std::nullopt}));
  EXPECT_EQ(parse_ssh_address("[fe80::1%eth0]:22"), (SshAddress{"", "fe80::1%eth0", 22}));
  EXPECT_EQ(parse_ssh_address("[::ffff:10.0.0.5]:22"), (SshAddress{"", "::ffff:10.0.0.5", 22}));
  EXPECT_EQ(parse_ssh_address("host.example.com"),
            (SshAddress{"", "host.example.com", std::nullopt}));
}

TEST(TransportSshAddress, RefusesWhatSshWouldMisread) {
  for (const char* bad :
       {"", "@host", "user@", "host:", "host:0", "host:65536", "host:22x", "host:-1", "-oProxy",
        "user@-host", "-l@host", "[fd00::1", "[fd00::1]2222", "[]:22", "a@b@c", "host:22:33x",
        "ho st", "ho;st", "[fd00::1]:x", "[host]:22", "fe80::1%",
        // hex digits and colons that are no IPv6 address (found by fuzzing:
        // "[896:72]" was taken as a host that prints back as 896:72)
        "[896:72]", "o@[896:72]", "1:2:3", "[1::2::3]:22", "[12345::1]", "fd00::1.2.3"}) {
    EXPECT_THROW(parse_ssh_address(bad), std::invalid_argument) << "'" << bad << "'";
  }
}

TEST(TransportSshAddress, ErrorsSayWhichPartIsWrong) {
  try {
    parse_ssh_address("root@host:99999");
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "the port '99999' is not a number from 1 to 65535");
  }
  try {
    parse_ssh_address("-oProxyCommand=x");
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("starts with '-'"), std::string::npos) << e.what();
  }
}

TEST(TransportSshAddress, PrintsBackAsWritten) {
  for (const char* text : {"h", "u@h", "h:2", "u@h:2", "[fd00::1]:22", "fd00::1", "u@[::1]:2"}) {
    EXPECT_EQ(to_string(parse_ssh_address(text)), text);
  }
}

// What an operator is shown of an address reads back as that address: a bracketed IPv6
// address without a port is shown bare, which parses as the same IPv6 address.
TEST(TransportSshAddress, ShownFormParsesBackToTheSameAddress) {
  for (const char* text : {"[::1]", "u@[fd00::17]", "[fe80::1%eth0]", "u@[::ffff:10.0.0.5]:7"}) {
    const auto address = parse_ssh_address(text);
    EXPECT_EQ(parse_ssh_address(to_string(address)), address) << text;
  }
}

}  // namespace
}  // namespace drover::transport
