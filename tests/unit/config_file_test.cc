#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cli/config/drover_toml.h"
#include "config_test_support.h"
#include "support/test_env.h"

namespace drover::cli {
namespace {

using testing::contains;
using testing::kFleet;
using testing::kOneHost;
using testing::refusal;

const std::string kFull = R"(# a complete drover.toml
[fleet]
name = "tradebot"
transport = "local"
image = "127.0.0.1:5000/tradebot"
default_tag = "stable"
agent_path = "/usr/local/bin/drover-agent"
login_probe = "redis:127.0.0.1:6379/bot:{id}:login=ok"
disk_floor_mb = 2048

[speeds.routine]
concurrency = 3
stop_timeout = 30
halt_percent = 20
settle = 2.5
login_wait = 60
jitter = 0

[speeds.immediate]
stop_timeout = 3

[container]
env = ["BOT_ID={id}"]
host_config = { restart_policy = { name = "unless-stopped" } }

[[hosts]]
name = "host-1"
address = "10.0.0.5"
bots = [539, 540, 541]
group = "production"

[[hosts]]
name = "staging-1"
bots = [898]
group = "staging"
)";

TEST(ConfigFile, AValidFileBecomesCoresTypes) {
  auto config = parse_config(kFull, "drover.toml");
  EXPECT_EQ(config.source, "drover.toml");
  EXPECT_EQ(config.fleet.name(), "tradebot");
  ASSERT_EQ(config.fleet.hosts().size(), 2u);
  EXPECT_EQ(config.fleet.hosts()[0],
            (core::Host{"host-1", "10.0.0.5", {539, 540, 541}, core::HostGroup::production}));
  EXPECT_EQ(config.fleet.hosts()[1],
            (core::Host{"staging-1", std::nullopt, {898}, core::HostGroup::staging}));
  EXPECT_EQ(config.transport, TransportKind::local);
  EXPECT_EQ(to_string(config.transport), "local");
  EXPECT_EQ(config.image_repository, "127.0.0.1:5000/tradebot");
  EXPECT_EQ(config.default_tag, "stable");
  EXPECT_EQ(config.agent_path, "/usr/local/bin/drover-agent");
  EXPECT_EQ(config.login_probe, "redis:127.0.0.1:6379/bot:{id}:login=ok");
  EXPECT_EQ(config.disk_floor_mb, 2048);

  const auto& routine = config.speeds.routine;
  EXPECT_EQ(routine.concurrency, core::Concurrency::hosts(3));
  EXPECT_EQ(routine.stop_timeout, std::chrono::seconds(30));
  EXPECT_EQ(routine.halt, core::HaltThreshold::over_fraction(0.20));
  EXPECT_EQ(routine.settle, Duration(2500));
  EXPECT_EQ(routine.login_wait, std::chrono::seconds(60));
  EXPECT_EQ(routine.jitter, Duration(0));
  EXPECT_TRUE(routine.login_poll);
  EXPECT_EQ(config.speeds.fast, core::default_speed_settings(core::SpeedName::fast));
  auto immediate = core::default_speed_settings(core::SpeedName::immediate);
  immediate.stop_timeout = std::chrono::seconds(3);
  EXPECT_EQ(config.speeds.immediate, immediate);

  ASSERT_TRUE(config.container_template.has_value());
  EXPECT_EQ(
      *config.container_template,
      nlohmann::json::parse(
          R"({"Env":["BOT_ID={id}"],"HostConfig":{"RestartPolicy":{"Name":"unless-stopped"}}})"));
}

TEST(ConfigFile, OptionalKeysTakeTheirDefaults) {
  auto config = parse_config(kFleet + kOneHost, "drover.toml");
  EXPECT_EQ(config.transport, TransportKind::local);
  EXPECT_EQ(config.default_tag, "latest");
  EXPECT_FALSE(config.agent_path.has_value());
  EXPECT_EQ(config.login_probe, "health");
  EXPECT_EQ(config.disk_floor_mb, 1024);
  EXPECT_FALSE(config.container_template.has_value());
  EXPECT_EQ(config.fleet.hosts()[0].group, core::HostGroup::production);
  EXPECT_EQ(config.speeds.routine, core::default_speed_settings(core::SpeedName::routine));
}

TEST(ConfigFile, TheDemoFleetLoads) {
  auto config = load_config_file(drover::testing::source_dir() + "/demo/drover.toml");
  EXPECT_EQ(config.fleet.name(), "drover-demo");
  EXPECT_EQ(
      std::count_if(config.fleet.hosts().begin(), config.fleet.hosts().end(),
                    [](const core::Host& h) { return h.group == core::HostGroup::production; }),
      4);
  EXPECT_EQ(config.fleet.bot_count(core::HostGroup::production), 12u);
  for (int id = 101; id <= 112; ++id) {
    ASSERT_NE(config.fleet.find_host_of(id), nullptr) << id;
    EXPECT_EQ(config.fleet.find_host_of(id)->group, core::HostGroup::production);
  }
  for (int id : {898, 899, 900}) {
    EXPECT_EQ(config.fleet.require_host_of(id).name, "staging-1");
  }
  EXPECT_EQ(config.image_repository, "127.0.0.1:5000/drover-demo/bot");
  EXPECT_EQ(config.default_tag, "v2");
  EXPECT_EQ(config.login_probe, "health");
  EXPECT_EQ(config.speeds.routine.settle, std::chrono::seconds(3));
  EXPECT_EQ(config.speeds.routine.login_wait, std::chrono::seconds(20));
  ASSERT_TRUE(config.container_template.has_value());
  const auto& body = *config.container_template;
  EXPECT_EQ(body["Env"], nlohmann::json::array({"BOT_ID={id}"}));
  EXPECT_EQ(body["HostConfig"]["RestartPolicy"]["Name"], "unless-stopped");
}

TEST(ConfigFile, ErrorsNameTheFileLineKeyAndWhatIsExpected) {
  const std::string text = kFleet + R"(
[[hosts]]
name = "host-1"
bots = [1]

[[hosts]]
name = "host-2"
bots = [2]

[[hosts]]
name = "host-3"
bots = [3]

[[hosts]]
name = "host-4"
bots = "539, 540"
)";
  EXPECT_EQ(refusal(text),
            "drover.toml:19: hosts[3].bots: expected a list of bot ids (numbers), got a string "
            "(write it like: bots = [539, 540, 541])");
}

TEST(ConfigFile, BadTomlSaysWhereTheSyntaxBreaks) {
  auto message = refusal("[fleet]\nname = \"tradebot\"\nimage = 127.0.0.1:5000/x\n");
  EXPECT_TRUE(contains(message, "drover.toml:3: not valid TOML:")) << message;
}

// Found by the drover_toml fuzzer: toml++'s description quotes the offending text, newline
// included, which split the one-line error in two.
TEST(ConfigFile, ASyntaxErrorQuotingANewlineStaysOneLine) {
  auto message = refusal(kFleet + kOneHost + "[notify]\ntimeout = n\n[more]\n");
  EXPECT_TRUE(contains(message, "not valid TOML:")) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(ConfigFile, AKeyOfFortyThousandPartsIsRefusedAtItsLineWithoutACrash) {
  std::string key = "a";
  for (int i = 1; i < 40000; ++i) key += ".a";
  EXPECT_EQ(refusal(kFleet + kOneHost + key + " = 1\n"),
            "drover.toml:" +
                std::to_string(1 + std::count(kFleet.begin(), kFleet.end(), '\n') +
                               std::count(kOneHost.begin(), kOneHost.end(), '\n')) +
                ": nests deeper than 64 levels (table header parts, dotted key parts, lists and "
                "inline tables together) (drover.toml needs a few levels ([speeds.routine], "
                "[container.labels]): check that this is the file you meant)");
  EXPECT_TRUE(contains(refusal(kFleet + "[" + key + "]\n"), "nests deeper than 64 levels"));
}

TEST(ConfigFile, UnknownKeysAreErrorsWithASuggestion) {
  EXPECT_EQ(refusal(kFleet + "nmae = \"x\"\n" + kOneHost),
            "drover.toml:4: fleet.nmae: unknown key (did you mean 'name'? [fleet] takes only: "
            "name, transport, image, default_tag, agent_path, login_probe, disk_floor_mb, region, "
            "discover)");
  EXPECT_TRUE(contains(refusal(kFleet + kOneHost + "grop = \"staging\"\n"),
                       "drover.toml:8: hosts[0].grop: unknown key (did you mean 'group'?"));
  EXPECT_TRUE(contains(refusal(kFleet + kOneHost + "[speed.routine]\nsettle = 3\n"),
                       "speed: unknown key (did you mean 'speeds'? the top level takes only: "
                       "fleet, speeds, container, hosts, ssh, aws, notify)"));
  EXPECT_TRUE(contains(refusal(kFleet + "[speeds.slow]\nsettle = 3\n" + kOneHost),
                       "speeds.slow: unknown key ([speeds] takes only: routine, fast, immediate)"));
  EXPECT_TRUE(contains(refusal(kFleet + "colour = \"blue\"\n" + kOneHost),
                       "fleet.colour: unknown key ([fleet] takes only:"));
}

TEST(ConfigFile, TheFleetSectionIsChecked) {
  EXPECT_TRUE(contains(refusal(kOneHost), "drover.toml: fleet: is missing"));
  EXPECT_TRUE(contains(refusal("[fleet]\nimage = \"r/x\"\n" + kOneHost),
                       "drover.toml:1: fleet.name: is missing"));
  EXPECT_TRUE(contains(refusal("[fleet]\nname = \"a b\"\nimage = \"r/x\"\n" + kOneHost),
                       "drover.toml:2: fleet.name: 'a b' is not a fleet name"));
  // The fleet name names the state directory and the lock: the one rule (core::Fleet's) is
  // applied at load, so a name the state directory could not take never gets past this line.
  for (const auto& bad :
       std::vector<std::string>{"TradeBot", "..", ".", "a/b", std::string(65, 'a')}) {
    EXPECT_TRUE(contains(refusal("[fleet]\nname = \"" + bad + "\"\nimage = \"r/x\"\n" + kOneHost),
                         "drover.toml:2: fleet.name: '" + bad + "' is not a fleet name"))
        << bad;
  }
  EXPECT_TRUE(contains(refusal("[fleet]\nname = \"TradeBot\"\nimage = \"r/x\"\n" + kOneHost),
                       "lower-case"));
  EXPECT_TRUE(contains(refusal("[fleet]\nname = 7\nimage = \"r/x\"\n" + kOneHost),
                       "drover.toml:2: fleet.name: expected the fleet's name in quotes, got a "
                       "number"));
  EXPECT_TRUE(contains(refusal(kFleet + "disk_floor_mb = -1\n" + kOneHost),
                       "drover.toml:4: fleet.disk_floor_mb: -1 MiB is out of range"));
  EXPECT_TRUE(contains(refusal(kFleet + "agent_path = \"bin/drover-agent\"\n" + kOneHost),
                       "fleet.agent_path: 'bin/drover-agent' is not an absolute path"));
}

TEST(ConfigFile, TransportsAreLocalSshOrSsm) {
  EXPECT_EQ(refusal(kFleet + "transport = \"ssh\"\n" + kOneHost), "");  // config_ssh_test.cc
  // ssm is accepted; its hosts need instance ids (config_aws_test.cc).
  EXPECT_TRUE(contains(refusal(kFleet + "transport = \"ssm\"\n" + kOneHost),
                       "hosts[0].address: 'host-1' is not an EC2 instance id"));
  EXPECT_TRUE(contains(refusal(kFleet + "transport = \"carrier-pigeon\"\n" + kOneHost),
                       "fleet.transport: 'carrier-pigeon' is not a transport"));
}

TEST(ConfigFile, TheImageIsARepositoryWithoutTag) {
  auto with = [](const std::string& image) {
    return refusal("[fleet]\nname = \"f\"\nimage = \"" + image + "\"\n" + kOneHost);
  };
  EXPECT_TRUE(contains(with("127.0.0.1:5000/TradeBot"), "drover.toml:3: fleet.image:"));
  EXPECT_TRUE(contains(with("127.0.0.1:5000/tradebot:v2"),
                       "fleet.image: '127.0.0.1:5000/tradebot:v2' has a tag; image is the "
                       "repository alone (write image = \"127.0.0.1:5000/tradebot\" and put the "
                       "tag in default_tag)"));
  EXPECT_TRUE(contains(with("r/x; rm -rf /"), "drover.toml:3: fleet.image:"));
  EXPECT_TRUE(contains(with(""), "drover.toml:3: fleet.image:"));
  EXPECT_TRUE(contains(refusal(kFleet + "default_tag = \"v 2\"\n" + kOneHost),
                       "drover.toml:4: fleet.default_tag:"));
  EXPECT_TRUE(contains(refusal(kFleet + "default_tag = \"v2@sha256:00\"\n" + kOneHost),
                       "drover.toml:4: fleet.default_tag:"));
}

TEST(ConfigFile, TheLoginProbeIsCheckedWhenLoaded) {
  auto with = [](const std::string& probe) {
    return refusal(kFleet + "login_probe = '" + probe + "'\n" + kOneHost);
  };
  EXPECT_EQ(with("health"), "");
  EXPECT_EQ(with("log:logged in as \\w+"), "");
  EXPECT_EQ(with("redis:[::1]:6390/bot:{id}:login=ok"), "");
  EXPECT_EQ(with("redis:localhost:6390/bot:{id}:login="), "");
  EXPECT_TRUE(contains(with("healthy"),
                       "drover.toml:4: fleet.login_probe: 'healthy' is not a "
                       "kind of login probe"));
  EXPECT_TRUE(contains(with("log:("), "log: not a valid ECMAScript regular expression"));
  EXPECT_TRUE(contains(with("log:"), "log: needs a regular expression"));
  EXPECT_TRUE(contains(with("redis:redis.internal:6379/bot:{id}=ok"), "is not an IP address"));
  EXPECT_TRUE(contains(with("redis:127.0.0.1:99999/bot:{id}=ok"), "is not a number from 1"));
  EXPECT_TRUE(contains(with("redis:127.0.0.1:6379/bot:login=ok"), "must contain {id}"));
  EXPECT_TRUE(contains(with("redis:127.0.0.1:6379/bot:{name}=ok"), "unknown placeholder"));
  EXPECT_TRUE(contains(with("redis:127.0.0.1:6379"), "expected '/KEY=VALUE'"));
}

TEST(ConfigFile, HostsAreChecked) {
  EXPECT_TRUE(contains(refusal(kFleet), "drover.toml: hosts: the fleet has no hosts"));
  EXPECT_TRUE(contains(refusal("hosts = [\"host-1\"]\n" + kFleet),
                       "drover.toml:1: hosts[0]: expected a table"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nbots = [1]\n"),
                       "drover.toml:4: hosts[0].name: is missing"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\n"),
                       "drover.toml:4: hosts[0].bots: is missing"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\nbots = []\n"),
                       "drover.toml:6: hosts[0].bots: holds no bots"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\nbots = [1, \"2\"]\n"),
                       "drover.toml:6: hosts[0].bots[1]: expected a bot id (a number), got a "
                       "string"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\nbots = [0]\n"),
                       "hosts[0].bots[0]: bot id 0 is out of range"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\nbots = [1, 1]\n"),
                       "drover.toml:6: hosts[0].bots: lists bot 1 twice"));
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h 1\"\nbots = [1]\n"),
                       "drover.toml:5: hosts[0].name: name 'h 1' has ' ' (a host without an "
                       "address is reached by its name"));
  EXPECT_EQ(
      refusal(kFleet + "[[hosts]]\nname = \"web 1 (eu)\"\naddress = \"10.0.0.5\"\nbots = [1]\n"),
      "")
      << "with an address, the name is only a label";
  EXPECT_TRUE(contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\naddress = \"a;b\"\nbots = [1]\n"),
                       "drover.toml:6: hosts[0].address: address 'a;b' has ';'"));
  EXPECT_TRUE(
      contains(refusal(kFleet + "[[hosts]]\nname = \"h\"\nbots = [1]\ngroup = \"canary\"\n"),
               "drover.toml:7: hosts[0].group: 'canary' is not a group"));
}

TEST(ConfigFile, DuplicatesAcrossHostsNameTheFirstOne) {
  const std::string hosts = R"(
[[hosts]]
name = "host-1"
bots = [539, 540]

[[hosts]]
name = "host-2"
bots = [541, 540]
)";
  EXPECT_EQ(refusal(kFleet + hosts),
            "drover.toml:11: hosts[1].bots: bot 540 is also on host host-1 (line 7) (a bot runs "
            "on exactly one host; remove it from one of the two)");
  const std::string names = R"(
[[hosts]]
name = "host-1"
bots = [1]

[[hosts]]
name = "host-1"
bots = [2]
)";
  EXPECT_EQ(refusal(kFleet + names),
            "drover.toml:10: hosts[1].name: host name 'host-1' is already used by hosts[0] "
            "(line 6) (give each host its own name)");
}

TEST(ConfigFile, AFileThatCannotBeReadSaysSo) {
  try {
    load_config_file("/nonexistent/drover.toml");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.where(), "/nonexistent/drover.toml");
    EXPECT_TRUE(contains(e.problem(), "cannot be read"));
  }
}

TEST(ConfigFile, AFileWithoutEndIsReadOnlyUpToALimit) {
  try {
    load_config_file("/dev/zero");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.where(), "/dev/zero");
    EXPECT_EQ(e.problem(), "is larger than 1 MiB");
    EXPECT_TRUE(contains(e.fix(), "check that this is the file you meant")) << e.fix();
  }
}

}  // namespace
}  // namespace drover::cli
