#include "core/fleet.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/input_error.h"
#include "core/name_table.h"
#include "core/printable_text.h"

namespace drover::core {

namespace {

// An EC2 tag value holds up to 256 characters.
constexpr std::size_t kMaxHostLabelBytes = 256;

bool is_host_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// An address is handed to ssh or SSM as one argument; refusing whitespace and shell
// characters here means a config typo can never become a command on the operator's machine.
bool is_address_char(char c) {
  return is_host_name_char(c) || c == ':' || c == '@' || c == '[' || c == ']';
}

// The first bot listed a second time, in the order a reader finds it. A host holds a few bots:
// compared pairwise, without a copy; a long list goes through a set.
std::optional<BotId> repeated_bot(const std::vector<BotId>& bots) {
  constexpr std::size_t kPairwiseUpTo = 32;
  if (bots.size() <= kPairwiseUpTo) {
    for (std::size_t i = 1; i < bots.size(); ++i) {
      if (std::find(bots.begin(), bots.begin() + static_cast<std::ptrdiff_t>(i), bots[i]) !=
          bots.begin() + static_cast<std::ptrdiff_t>(i)) {
        return bots[i];
      }
    }
    return std::nullopt;
  }
  std::unordered_set<BotId> seen;
  seen.reserve(bots.size());
  for (BotId bot : bots) {
    if (!seen.insert(bot).second) {
      return bot;
    }
  }
  return std::nullopt;
}

std::string where_host(std::size_t index, const Host& host) {
  return host.name.empty() ? fmt::format("fleet: hosts[{}]", index)
                           : fmt::format("fleet: hosts[{}] ({})", index, printable(host.name));
}

}  // namespace

void check_host(std::size_t index, const Host& host) {
  // Only a refusal needs the place: a fleet of 10,000 hosts is checked on every command.
  const auto where = [&] { return where_host(index, host); };
  if (host.name.empty()) {
    throw InputError(where(), "has no name", "give every [[hosts]] entry a name = \"…\"");
  }
  if (host.address) {
    // The address is what is dialled; the name is only a label: any text an EC2 Name tag
    // holds ("web 1", "bots (eu)", letters of any language), on one line.
    if (host.name.size() > kMaxHostLabelBytes) {
      throw InputError(where(), fmt::format("name is {} bytes long", host.name.size()),
                       fmt::format("give it a name of at most {} bytes", kMaxHostLabelBytes));
    }
    for (char c : host.name) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f) {
        throw InputError(where(),
                         fmt::format("name '{}' has the control character '{}'",
                                     printable(host.name, kQuotedBytes), printable({&c, 1})),
                         "a host's name is one line of text");
      }
    }
  } else {
    for (char c : host.name) {
      if (!is_host_name_char(c)) {
        throw InputError(
            where(),
            fmt::format("name '{}' has '{}'", printable(host.name, kQuotedBytes),
                        printable({&c, 1})),
            "a host without an address is reached by its name, which uses letters, digits, "
            "'.', '_' and '-'; give it an address to name it freely");
      }
    }
  }
  if (host.address) {
    if (host.address->empty()) {
      throw InputError(where(), "address is empty", "remove address = \"\" or give the address");
    }
    for (char c : *host.address) {
      if (!is_address_char(c)) {
        throw InputError(
            where(),
            fmt::format("address '{}' has '{}'", printable(*host.address), printable({&c, 1})),
            "an address is a host name or IP, optionally user@ and :port");
      }
    }
  }
  if (host.bots.empty()) {
    throw InputError(where(), "holds no bots",
                     "list its bots (bots = [539, 540, 541]) or remove it");
  }
  for (BotId bot : host.bots) {
    if (bot < kMinBotId || bot > kMaxBotId) {
      throw InputError(where(), fmt::format("bot id {} is out of range", bot),
                       fmt::format("bot ids run from {} to {}", kMinBotId, kMaxBotId));
    }
  }
  if (const auto twice = repeated_bot(host.bots)) {
    throw InputError(where(), fmt::format("lists bot {} twice", *twice),
                     "a bot runs on exactly one host; remove the duplicate");
  }
}

constexpr NameTable<HostGroup, 2> kHostGroupNames{{
    {HostGroup::production, "production"},
    {HostGroup::staging, "staging"},
}};
static_assert(covers_every_value(kHostGroupNames));

// The name becomes the fleet's state directory and names its deploy lock (a file there, or the
// Parameter Store parameter /drover/<name>/deploy-lock): it must not be able to point anywhere
// else ("..", "a/b"), and one fleet gets one spelling, so "TradeBot" and "tradebot" can never
// be two locks for what operators think of as one fleet.
void check_fleet_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && name != "." && name != "..";
  for (char c : name) {
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    throw InputError("fleet name", fmt::format("'{}' is not a fleet name", printable(name)),
                     "use 1 to 64 lower-case letters, digits, '.', '_' or '-' (not '.' or '..' "
                     "alone), e.g. name = \"tradebot\"");
  }
}

std::string_view to_string(HostGroup group) {
  return name_of(kHostGroupNames, group);
}

HostGroup parse_host_group(std::string_view text) {
  if (auto group = value_named(kHostGroupNames, text)) return *group;
  throw InputError("host group", fmt::format("'{}' is not a group", printable(text)),
                   "use \"production\" or \"staging\"");
}

Fleet::Fleet(std::string name, std::vector<Host> hosts)
    : name_(std::move(name)), hosts_(std::move(hosts)) {
  check_fleet_name(name_);
  if (hosts_.empty()) {
    throw InputError("fleet", "has no hosts", "add at least one [[hosts]] entry with its bots");
  }
  // Views into hosts_, which no longer changes: no copy of each name.
  std::unordered_set<std::string_view> names;
  names.reserve(hosts_.size());
  for (std::size_t i = 0; i < hosts_.size(); ++i) {
    const Host& host = hosts_[i];
    check_host(i, host);
    if (!names.insert(host.name).second) {
      throw InputError(where_host(i, host), "repeats a host name used earlier",
                       "give each host its own name");
    }
    for (BotId bot : host.bots) {
      const auto [it, inserted] = host_of_bot_.emplace(bot, i);
      if (!inserted) {
        // Another host: check_host has refused a host listing a bot twice itself.
        throw InputError(
            where_host(i, host),
            fmt::format("lists bot {}, which host {} also lists", bot, hosts_[it->second].name),
            "a bot runs on exactly one host; remove the duplicate");
      }
    }
  }
}

const Host* Fleet::find_host_of(BotId bot) const {
  const auto it = host_of_bot_.find(bot);
  return it == host_of_bot_.end() ? nullptr : &hosts_[it->second];
}

const Host& Fleet::require_host_of(BotId bot) const {
  if (const Host* host = find_host_of(bot)) {
    return *host;
  }
  const auto lowest = host_of_bot_.begin()->first;
  const auto highest = host_of_bot_.rbegin()->first;
  throw InputError("bot id", fmt::format("bot {} is not in fleet {}", bot, name_),
                   fmt::format("check the id; the fleet's {} bots have ids from {} to {}",
                               host_of_bot_.size(), lowest, highest));
}

BotId Fleet::parse_fleet_bot_id(std::string_view text) const {
  const BotId bot = parse_bot_id(text);
  require_host_of(bot);
  return bot;
}

std::size_t Fleet::bot_count(HostGroup group) const {
  std::size_t count = 0;
  for (const Host& host : hosts_) {
    if (host.group == group) {
      count += host.bots.size();
    }
  }
  return count;
}

}  // namespace drover::core
