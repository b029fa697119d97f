#include "cli/aws/fleet_discovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/bot_id.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

constexpr const char* kPageSize = "1000";  // DescribeInstances' maximum with filters

std::string child_text(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().as_string();
}

[[noreturn]] void tag_error(const std::string& instance, const std::string& tag, std::string what,
                            std::string fix) {
  throw core::InputError(
      fmt::format("fleet discovery: instance {} tag {}", instance, core::printable(tag)),
      std::move(what), std::move(fix));
}

std::vector<core::BotId> parse_bots(const Ec2Instance& instance, const std::string& tag,
                                    const std::string& value) {
  std::vector<core::BotId> bots;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ',' || value[i] == ' ') {
      ++i;
      continue;
    }
    auto end = value.find_first_of(", ", i);
    if (end == std::string::npos) end = value.size();
    const auto word = std::string_view(value).substr(i, end - i);
    try {
      bots.push_back(core::parse_bot_id(word));
    } catch (const core::InputError& e) {
      tag_error(
          instance.id, tag,
          fmt::format("'{}' is not a list of bot ids: {}", core::printable(value), e.problem()),
          fmt::format("set it to the host's bot ids separated by spaces, e.g. {}=539 540 541",
                      tag));
    }
    i = end;
  }
  if (bots.empty()) {
    tag_error(instance.id, tag, "is empty: the host would have no bots",
              fmt::format("set it to the host's bot ids, e.g. {}=539 540 541", tag));
  }
  return bots;
}

core::Host host_of(const Ec2Instance& instance, const AwsSettings& settings) {
  core::Host host;
  host.address = instance.id;
  auto name = instance.tags.find("Name");
  host.name = name == instance.tags.end() || name->second.empty() ? instance.id : name->second;
  auto bots = instance.tags.find(settings.bots_tag);
  if (bots == instance.tags.end()) {
    tag_error(instance.id, settings.bots_tag,
              fmt::format("is missing: the instance carries {}={} but does not say which bots "
                          "it runs",
                          settings.tag.key, settings.tag.value),
              fmt::format("tag it {}=<bot ids>, e.g. {}=539 540 541", settings.bots_tag,
                          settings.bots_tag));
  }
  host.bots = parse_bots(instance, settings.bots_tag, bots->second);
  auto group = instance.tags.find(settings.group_tag);
  if (group != instance.tags.end()) {
    try {
      host.group = core::parse_host_group(group->second);
    } catch (const core::InputError& e) {
      tag_error(
          instance.id, settings.group_tag, e.problem(),
          fmt::format("use {}=production or {}=staging", settings.group_tag, settings.group_tag));
    }
  }
  // core::Fleet's per-host rules (name characters, no bot twice), reported at the tag.
  try {
    core::Fleet alone("check", {host});
  } catch (const core::InputError& e) {
    const bool about_name = e.problem().find("name") != std::string::npos;
    tag_error(instance.id, about_name ? "Name" : settings.bots_tag, e.problem(), e.fix());
  }
  return host;
}

}  // namespace

Ec2InstancePage parse_describe_instances(const pugi::xml_document& answer) {
  Ec2InstancePage page;
  const auto root = answer.document_element();
  for (const auto& reservation : root.child("reservationSet").children("item")) {
    for (const auto& item : reservation.child("instancesSet").children("item")) {
      Ec2Instance instance;
      instance.id = child_text(item, "instanceId");
      instance.state = child_text(item.child("instanceState"), "name");
      for (const auto& tag : item.child("tagSet").children("item")) {
        instance.tags[child_text(tag, "key")] = child_text(tag, "value");
      }
      page.instances.push_back(std::move(instance));
    }
  }
  page.next_token = child_text(root, "nextToken");
  return page;
}

aws::QueryParameters describe_fleet_parameters(const TagMatch& tag, const std::string& next_token) {
  aws::QueryParameters parameters{{"Filter.1.Name", "tag:" + tag.key},
                                  {"Filter.1.Value.1", tag.value},
                                  {"Filter.2.Name", "instance-state-name"},
                                  {"Filter.2.Value.1", "running"},
                                  {"MaxResults", kPageSize}};
  if (!next_token.empty()) parameters.emplace_back("NextToken", next_token);
  return parameters;
}

std::vector<core::Host> hosts_from_instances(const std::vector<Ec2Instance>& instances,
                                             const AwsSettings& settings) {
  auto sorted = instances;
  std::sort(sorted.begin(), sorted.end(),
            [](const Ec2Instance& a, const Ec2Instance& b) { return a.id < b.id; });
  std::vector<core::Host> hosts;
  std::map<std::string, std::string> names;  // host name → instance
  std::map<core::BotId, std::string> bots;   // bot → instance
  for (const auto& instance : sorted) {
    auto host = host_of(instance, settings);
    auto [other, fresh] = names.emplace(host.name, instance.id);
    if (!fresh) {
      tag_error(instance.id, "Name",
                fmt::format("host name '{}' is also the name of instance {}",
                            core::printable(host.name), other->second),
                "give every instance of the fleet its own Name tag");
    }
    for (auto bot : host.bots) {
      auto [holder, new_bot] = bots.emplace(bot, instance.id);
      if (!new_bot) {
        tag_error(instance.id, settings.bots_tag,
                  fmt::format("bot {} is also on instance {}", bot, holder->second),
                  "a bot runs on exactly one host; remove it from one of the two");
      }
    }
    hosts.push_back(std::move(host));
  }
  return hosts;
}

std::vector<core::Host> discover_hosts(const Ec2Call& ec2, const AwsSettings& settings) {
  std::vector<Ec2Instance> instances;
  std::string token;
  do {
    auto page = parse_describe_instances(
        ec2("DescribeInstances", describe_fleet_parameters(settings.tag, token)));
    instances.insert(instances.end(), page.instances.begin(), page.instances.end());
    token = page.next_token;
  } while (!token.empty());
  return hosts_from_instances(instances, settings);
}

}  // namespace drover::cli
