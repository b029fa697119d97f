// drover.toml's AWS settings (cli/config/aws.h) and the ssm transport's host rules.
#include <gtest/gtest.h>

#include "cli/config/aws.h"
#include "config_test_support.h"

namespace drover::cli::testing {
namespace {

const std::string kSsmFleet = R"([fleet]
name = "tradebot"
image = "127.0.0.1:5000/tradebot"
transport = "ssm"
)";

const std::string kSsmHost = R"(
[[hosts]]
name = "host-1"
address = "i-0123456789abcdef0"
bots = [539]
)";

TEST(ConfigAws, DefaultsNameTheFleet) {
  auto config = parse_config(kSsmFleet + kSsmHost, "drover.toml");
  EXPECT_EQ(config.transport, TransportKind::ssm);
  EXPECT_EQ(config.aws.lock_parameter, "/drover/tradebot/deploy-lock");
  EXPECT_EQ(config.aws.tag, (TagMatch{"drover-fleet", "tradebot"}));
  EXPECT_EQ(config.aws.bots_tag, "drover-bots");
  EXPECT_EQ(config.aws.discover, Discovery::none);
  EXPECT_EQ(config.aws.poll_interval, std::chrono::seconds(2));
  EXPECT_EQ(config.aws.max_requests_per_second, 20);
}

TEST(ConfigAws, ReadsEveryKey) {
  auto config =
      parse_config(kSsmFleet + "region = \"us-east-2\"\n" + kSsmHost + R"(
[aws]
profile = "prod"
endpoint_url = "http://127.0.0.1:4566"
tag = "role=bot"
bots_tag = "bots"
group_tag = "stage"
lock_parameter = "/ops/lock"
agent_url = "https://example.com/drover-agent"
poll_interval = 0.5
max_requests_per_second = 7.5
)",
                   "drover.toml", {.region = "eu-north-1", .profile = "flag", .discover = {}});
  EXPECT_EQ(config.aws.region, "us-east-2");
  EXPECT_EQ(config.aws.region_flag, "eu-north-1");
  EXPECT_EQ(config.aws.profile, "flag") << "--profile replaces the file's";
  EXPECT_EQ(config.aws.endpoint_url, "http://127.0.0.1:4566");
  EXPECT_EQ(config.aws.tag, (TagMatch{"role", "bot"}));
  EXPECT_EQ(config.aws.group_tag, "stage");
  EXPECT_EQ(config.aws.lock_parameter, "/ops/lock");
  EXPECT_EQ(config.aws.poll_interval, std::chrono::milliseconds(500));
  EXPECT_EQ(config.aws.max_requests_per_second, 7.5);
}

TEST(ConfigAws, RefusesBadValuesAtTheirKey) {
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nprofil = \"x\"\n"), "aws.profil"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nprofil = \"x\"\n"), "profile"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\ntag = \"novalue\"\n"), "aws.tag"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nlock_parameter = \"nolead\"\n"),
                       "not a Parameter Store name"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nlock_parameter = \"/aws/x\"\n"),
                       "not a Parameter Store name"));
  EXPECT_TRUE(
      contains(refusal(kSsmFleet + kSsmHost + "[aws]\npoll_interval = 0\n"), "out of range"));
  for (const auto* rate : {"0", "0.5", "-3", "1001", "nan", "inf"}) {
    const auto why =
        refusal(kSsmFleet + kSsmHost + "[aws]\nmax_requests_per_second = " + rate + "\n");
    EXPECT_TRUE(contains(why, "aws.max_requests_per_second")) << rate << ": " << why;
    EXPECT_TRUE(contains(why, "give 1 to 1000")) << rate << ": " << why;
  }
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nmax_requests_per_second = \"20\"\n"),
                       "aws.max_requests_per_second"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + kSsmHost + "[aws]\nagent_url = \"ftp://x\"\n"),
                       "not an http(s) URL"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + "region = \"EU WEST\"\n" + kSsmHost), "fleet.region"));
  EXPECT_TRUE(
      contains(refusal(kSsmFleet + "discover = \"consul\"\n" + kSsmHost), "fleet.discover"));
  EXPECT_TRUE(contains(refusal(kSsmFleet + "shoe = 1\n" + kSsmHost), "fleet.shoe"));
}

TEST(ConfigAws, AnSsmHostNeedsAnInstanceId) {
  auto text = kSsmFleet + "\n[[hosts]]\nname = \"host-1\"\naddress = \"10.0.0.5\"\nbots = [539]\n";
  auto why = refusal(text);
  EXPECT_TRUE(contains(why, "hosts[0].address"));
  EXPECT_TRUE(contains(why, "not an EC2 instance id"));
  // Without an address the name is the instance id.
  auto config = parse_config(
      kSsmFleet + "\n[[hosts]]\nname = \"i-0123456789abcdef0\"\nbots = [1]\n", "drover.toml");
  EXPECT_EQ(config.fleet.hosts().size(), 1u);
}

TEST(ConfigAws, DiscoveryMakesHostsOptionalAndImpliesSsm) {
  const std::string text = R"([fleet]
name = "tradebot"
image = "127.0.0.1:5000/tradebot"
discover = "ssm"
)";
  ConfigOverrides overrides;
  std::string asked;
  overrides.discover = [&](const AwsSettings& aws, const std::string& fleet) {
    asked = fleet + " " + aws.tag.key;
    return std::vector<core::Host>{
        {"bot-a", "i-0aaaaaaaaaaaaaaaa", {7}, core::HostGroup::production}};
  };
  auto config = parse_config(text, "drover.toml", overrides);
  EXPECT_EQ(config.transport, TransportKind::ssm);
  EXPECT_EQ(asked, "tradebot drover-fleet");
  ASSERT_EQ(config.fleet.hosts().size(), 1u);
  EXPECT_EQ(config.fleet.hosts()[0].name, "bot-a");

  overrides.discover = [](const AwsSettings&, const std::string&) {
    return std::vector<core::Host>{};
  };
  try {
    parse_config(text, "drover.toml", overrides);
    ADD_FAILURE() << "an empty discovered fleet must be refused";
  } catch (const core::InputError& e) {
    EXPECT_TRUE(contains(e.what(), "no running instance carries the tag drover-fleet=tradebot"));
  }
  EXPECT_TRUE(contains(refusal(text + "transport = \"local\"\n"), "only the ssm transport"));
}

TEST(ConfigAws, TagAndParameterNameRules) {
  EXPECT_EQ(parse_tag_match("a=b=c"), (TagMatch{"a", "b=c"}));
  EXPECT_EQ(parse_tag_match("k="), (TagMatch{"k", ""}));
  EXPECT_FALSE(parse_tag_match("=v"));
  EXPECT_FALSE(parse_tag_match("aws:x=v"));
  EXPECT_TRUE(is_parameter_name("/drover/tradebot/deploy-lock"));
  EXPECT_FALSE(is_parameter_name("/ssm/x"));
  EXPECT_FALSE(is_parameter_name("/a b"));
  EXPECT_FALSE(is_parameter_name("/a/"));
}

}  // namespace
}  // namespace drover::cli::testing
