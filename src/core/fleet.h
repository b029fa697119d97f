#pragma once
// The fleet as configured: hosts, each holding a few bots, in one of two groups.
// Production hosts are what `deploy all` rolls to; staging hosts what `deploy staging` does.
//
// Invariants (checked by the constructor, which throws InputError otherwise):
//   - the fleet's name passes check_fleet_name, and the fleet has at least one host;
//   - host names are non-empty, unique, and made of letters, digits, '.', '_' and '-';
//   - every host holds at least one bot; no bot id appears twice, on one host or across hosts;
//   - addresses, when given, contain no whitespace or shell characters.
// Host order is the configured order, which is also the rollout order.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot_id.h"

namespace drover::core {

using HostName = std::string;

enum class HostGroup { production, staging };

/// Throws InputError unless `name` is a fleet name: 1 to 64 lower-case letters, digits, '.',
/// '_' or '-', and not "." or "..". drover.toml's loader applies it (reporting file and line);
/// the Fleet constructor holds every fleet to it.
void check_fleet_name(std::string_view name);

/// "production" | "staging".
std::string_view to_string(HostGroup group);
/// Parses "production" | "staging"; throws InputError otherwise.
HostGroup parse_host_group(std::string_view text);

struct Host {
  HostName name;
  std::optional<std::string> address;  // how a transport reaches it; the name when unset
  std::vector<BotId> bots;
  HostGroup group = HostGroup::production;

  bool operator==(const Host&) const = default;
};

/// Throws InputError unless `host` keeps, on its own, the invariants above that are about one
/// host (its name, its address, at least one bot, none out of range, none twice); `index`
/// places it in the message ("fleet: hosts[3] (web-1)"). The constructor applies it to every
/// host; drover.toml's loader to each host it reads, so that a refusal names its line.
void check_host(std::size_t index, const Host& host);

class Fleet {
 public:
  Fleet(std::string name, std::vector<Host> hosts);

  const std::string& name() const { return name_; }
  const std::vector<Host>& hosts() const { return hosts_; }

  /// The host holding `bot`, or nullptr.
  const Host* find_host_of(BotId bot) const;
  /// The host holding `bot`; throws InputError ("bot 12 is not in fleet …") otherwise.
  const Host& require_host_of(BotId bot) const;
  /// parse_bot_id, then require that the fleet has the bot. Returns the id.
  BotId parse_fleet_bot_id(std::string_view text) const;

  /// All bots of the fleet, or of one group.
  std::size_t bot_count() const { return host_of_bot_.size(); }
  std::size_t bot_count(HostGroup group) const;

 private:
  std::string name_;
  std::vector<Host> hosts_;
  std::map<BotId, std::size_t> host_of_bot_;  // bot id → index into hosts_
};

}  // namespace drover::core
