// Fleet discovery from EC2 tags (cli/aws/fleet_discovery.h): the DescribeInstances XML, the
// request's filters, and a clear error for every tag drover cannot read.
#include "cli/aws/fleet_discovery.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/fleet.h"
#include "core/input_error.h"

namespace drover::cli {
namespace {

Ec2Instance instance(std::string id, std::map<std::string, std::string> tags) {
  return {std::move(id), "running", std::move(tags)};
}

std::string refusal(const std::vector<Ec2Instance>& instances) {
  try {
    hosts_from_instances(instances, AwsSettings{});
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(FleetDiscovery, ParsesDescribeInstancesAcrossReservations) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(R"(<?xml version="1.0"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
 <requestId>r</requestId>
 <reservationSet>
  <item><reservationId>r-1</reservationId><instancesSet>
   <item><instanceId>i-0bbbbbbbbbbbbbbbb</instanceId><instanceState><code>16</code><name>running</name></instanceState>
    <tagSet><item><key>drover-bots</key><value>3 4</value></item><item><key>Name</key><value>b</value></item></tagSet></item>
  </instancesSet></item>
  <item><reservationId>r-2</reservationId><instancesSet>
   <item><instanceId>i-0aaaaaaaaaaaaaaaa</instanceId><instanceState><name>running</name></instanceState>
    <tagSet><item><key>drover-bots</key><value>1,2</value></item><item><key>drover-group</key><value>staging</value></item></tagSet></item>
  </instancesSet></item>
 </reservationSet>
 <nextToken>tok</nextToken>
</DescribeInstancesResponse>)"));
  auto page = parse_describe_instances(doc);
  ASSERT_EQ(page.instances.size(), 2u);
  EXPECT_EQ(page.next_token, "tok");
  EXPECT_EQ(page.instances[0].tags.at("Name"), "b");
  auto hosts = hosts_from_instances(page.instances, AwsSettings{});
  ASSERT_EQ(hosts.size(), 2u);
  EXPECT_EQ(hosts[0].name, "i-0aaaaaaaaaaaaaaaa") << "no Name tag: the instance id";
  EXPECT_EQ(hosts[0].bots, (std::vector<core::BotId>{1, 2}));
  EXPECT_EQ(hosts[0].group, core::HostGroup::staging);
  EXPECT_EQ(hosts[1].name, "b");
  EXPECT_EQ(hosts[1].address, "i-0bbbbbbbbbbbbbbbb");
  EXPECT_EQ(hosts[1].group, core::HostGroup::production);
}

TEST(FleetDiscovery, AsksForRunningInstancesWithTheTag) {
  auto params = describe_fleet_parameters({"drover-fleet", "tradebot"}, "");
  EXPECT_EQ(params, (aws::QueryParameters{{"Filter.1.Name", "tag:drover-fleet"},
                                          {"Filter.1.Value.1", "tradebot"},
                                          {"Filter.2.Name", "instance-state-name"},
                                          {"Filter.2.Value.1", "running"},
                                          {"MaxResults", "1000"}}));
  EXPECT_EQ(describe_fleet_parameters({"k", "v"}, "tok").back(),
            (std::pair<std::string, std::string>{"NextToken", "tok"}));
}

TEST(FleetDiscovery, FollowsNextToken) {
  int calls = 0;
  Ec2Call ec2 = [&](std::string_view action, const aws::QueryParameters& params) {
    EXPECT_EQ(action, "DescribeInstances");
    ++calls;
    const bool second = params.back().first == "NextToken";
    pugi::xml_document doc;
    doc.load_string(second ? "<R><reservationSet><item><instancesSet><item><instanceId>i-0000000b"
                             "</instanceId><tagSet><item><key>drover-bots</key><value>2</value>"
                             "</item></tagSet></item></instancesSet></item></reservationSet></R>"
                           : "<R><reservationSet><item><instancesSet><item><instanceId>i-0000000a"
                             "</instanceId><tagSet><item><key>drover-bots</key><value>1</value>"
                             "</item></tagSet></item></instancesSet></item></reservationSet>"
                             "<nextToken>more</nextToken></R>");
    return doc;
  };
  auto hosts = discover_hosts(ec2, AwsSettings{});
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(hosts.size(), 2u);
}

TEST(FleetDiscovery, NameTagsWithSpacesAndOtherCharactersAreHostNames) {
  const std::vector<std::string> names{"web 1", "Trade Bot (eu) #2", "b\xc3\xb4t-\xc3\xbc",
                                       "a:b/c=d+e@f"};
  std::vector<Ec2Instance> instances;
  for (std::size_t i = 0; i < names.size(); ++i) {
    instances.push_back(instance("i-000000" + std::to_string(10 + i),
                                 {{"drover-bots", std::to_string(i + 1)}, {"Name", names[i]}}));
  }
  const auto hosts = hosts_from_instances(instances, AwsSettings{});
  ASSERT_EQ(hosts.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(hosts[i].name, names[i]);
    EXPECT_EQ(hosts[i].address, instances[i].id) << "the instance is what is reached";
  }
  EXPECT_NO_THROW(core::Fleet("tradebot", hosts));
}

TEST(FleetDiscovery, BadTagsNameTheInstanceAndTheTag) {
  auto missing = refusal({instance("i-0000000a", {})});
  EXPECT_NE(missing.find("instance i-0000000a tag drover-bots"), std::string::npos) << missing;
  EXPECT_NE(missing.find("is missing"), std::string::npos) << missing;
  auto garbage = refusal({instance("i-0000000a", {{"drover-bots", "539 abc"}})});
  EXPECT_NE(garbage.find("tag drover-bots"), std::string::npos) << garbage;
  EXPECT_NE(garbage.find("'539 abc'"), std::string::npos) << garbage;
  auto empty = refusal({instance("i-0000000a", {{"drover-bots", " , "}})});
  EXPECT_NE(empty.find("is empty"), std::string::npos) << empty;
  auto group = refusal({instance("i-0000000a", {{"drover-bots", "1"}, {"drover-group", "prod"}})});
  EXPECT_NE(group.find("tag drover-group: 'prod' is not a group"), std::string::npos) << group;
  auto name = refusal({instance("i-0000000a", {{"drover-bots", "1"}, {"Name", "web\n1"}})});
  EXPECT_NE(name.find("tag Name"), std::string::npos) << name;
  EXPECT_NE(name.find("'web\\n1' has the control character '\\n'"), std::string::npos) << name;
  auto twice = refusal({instance("i-0000000a", {{"drover-bots", "1"}, {"Name", "x"}}),
                        instance("i-0000000b", {{"drover-bots", "2"}, {"Name", "x"}})});
  EXPECT_NE(twice.find("also the name of instance i-0000000a"), std::string::npos) << twice;
  auto shared = refusal({instance("i-0000000a", {{"drover-bots", "1"}}),
                         instance("i-0000000b", {{"drover-bots", "1"}})});
  EXPECT_NE(shared.find("bot 1 is also on instance i-0000000a"), std::string::npos) << shared;
}

}  // namespace
}  // namespace drover::cli
