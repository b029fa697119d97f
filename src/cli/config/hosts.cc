#include "cli/config/hosts.h"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/bot_id.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

const Expected kHosts{"one [[hosts]] table per host", "[[hosts]]  then  name = \"host-1\""};
const Expected kName{"the host's name in quotes", "name = \"host-1\""};
const Expected kAddress{"an address in quotes", "address = \"10.0.0.5\""};
const Expected kBots{"a list of bot ids (numbers)", "bots = [539, 540, 541]"};
const Expected kGroup{"\"production\" or \"staging\"", "group = \"production\""};

core::BotId read_bot(const ConfigTable& host, const toml::node& node, std::size_t index) {
  // Only a refusal needs the path: a fleet of 10,000 hosts reads 30,000 bots (issue 11).
  const auto path = [&] { return fmt::format("{}[{}]", host.key_path("bots"), index); };
  if (!node.is_integer()) {
    config_error(host.place_of(node, path()),
                 fmt::format("expected a bot id (a number), got {}", describe_node(node)),
                 "write bot ids as numbers without quotes: bots = [539, 540, 541]");
  }
  const auto id = node.as_integer()->get();
  if (id < core::kMinBotId || id > core::kMaxBotId) {
    config_error(host.place_of(node, path()), fmt::format("bot id {} is out of range", id),
                 fmt::format("bot ids run from {} to {}", core::kMinBotId, core::kMaxBotId));
  }
  return static_cast<core::BotId>(id);
}

void check_with_fleet(const ConfigTable& t, std::string_view key, core::Host probe) {
  try {
    core::Fleet alone("check", {std::move(probe)});
  } catch (const core::InputError& e) {
    t.fail(key, e.problem(), e.fix());
  }
}

core::Host read_host(const ConfigTable& t) {
  t.allow_only({"name", "address", "bots", "group"});
  core::Host host;
  host.name = t.required_string("name", kName);
  host.address = t.string("address", kAddress);
  const toml::array* bots = t.array("bots", kBots);
  if (!bots) {
    t.missing("bots", kBots);
  }
  for (std::size_t i = 0; i < bots->size(); ++i) {
    host.bots.push_back(read_bot(t, *bots->get(i), i));
  }
  if (auto group = t.string("group", kGroup)) {
    try {
      host.group = core::parse_host_group(*group);
    } catch (const core::InputError& e) {
      t.fail("group", e.problem(), "use group = \"production\" or group = \"staging\"");
    }
  }
  // The rest of the per-host rules (name and address characters, a non-empty bot list, no
  // bot twice) are core's (core::check_host). A host that passes whole is done (issue 11: a
  // 10,000-host config is read on every command); only a refusal needs each field checked on
  // a one-host fleet where only that field is real, so that it points at the key it is about.
  // With an address the name is only a label (any one line of text), so the name is checked
  // with a stand-in address when it has one.
  try {
    core::check_host(0, host);
    return host;
  } catch (const core::InputError&) {
  }
  const std::optional<std::string> stand_in_address =
      host.address ? std::optional<std::string>("h") : std::nullopt;
  check_with_fleet(t, "name", {host.name, stand_in_address, {core::kMinBotId}, host.group});
  check_with_fleet(t, "address", {"h", host.address, {core::kMinBotId}, host.group});
  check_with_fleet(t, "bots", {"h", std::nullopt, host.bots, host.group});
  // Refused whole but by none of the three alone: a rule across fields, at the host's name.
  check_with_fleet(t, "name", host);
  return host;
}

}  // namespace

std::vector<core::Host> read_hosts(const ConfigTable& root) {
  const toml::array* entries = root.array("hosts", kHosts);
  if (!entries || entries->empty()) {
    root.fail("hosts", "the fleet has no hosts",
              "add one [[hosts]] table per host: [[hosts]] name = \"host-1\" bots = [539, 540]");
  }
  const auto table_at = [&](std::size_t i) {
    return ConfigTable(*entries->get(i)->as_table(), root.file(), fmt::format("hosts[{}]", i));
  };
  std::vector<core::Host> hosts;
  // Reserved, so the views below stay valid; only a refusal looks up the other host's line
  // (issue 11: a fleet of 10,000 hosts is read on every command).
  hosts.reserve(entries->size());
  std::unordered_map<std::string_view, std::size_t> host_of_name;  // views into hosts
  std::unordered_map<core::BotId, std::size_t> host_of_bot;
  host_of_name.reserve(entries->size());
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::node& entry = *entries->get(i);
    if (!entry.is_table()) {
      config_error(root.place_of(entry, fmt::format("hosts[{}]", i)),
                   fmt::format("expected a table ([[hosts]] with name and bots), got {}",
                               describe_node(entry)),
                   "write each host as a [[hosts]] section with name = \"…\" and bots = [ … ]");
    }
    const ConfigTable table = table_at(i);
    const core::Host& host = hosts.emplace_back(read_host(table));

    const auto [first, new_name] = host_of_name.emplace(host.name, i);
    if (!new_name) {
      table.fail("name",
                 fmt::format("host name '{}' is already used by hosts[{}] (line {})",
                             core::printable(host.name), first->second,
                             table_at(first->second).place("name").line),
                 "give each host its own name");
    }
    for (core::BotId bot : host.bots) {
      const auto [other, new_bot] = host_of_bot.emplace(bot, i);
      if (!new_bot) {
        table.fail("bots",
                   fmt::format("bot {} is also on host {} (line {})", bot,
                               core::printable(hosts[other->second].name),
                               table_at(other->second).place("bots").line),
                   "a bot runs on exactly one host; remove it from one of the two");
      }
    }
  }
  return hosts;
}

}  // namespace drover::cli
