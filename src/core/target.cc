#include "core/target.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/input_error.h"
#include "core/name_table.h"
#include "core/printable_text.h"

namespace drover::core {

namespace {

constexpr NameTable<TargetKind, 3> kTargetKindNames{{
    {TargetKind::staging, "staging"},
    {TargetKind::bot, "bot"},
    {TargetKind::all, "all"},
}};
static_assert(covers_every_value(kTargetKindNames));

}  // namespace

std::string_view to_string(TargetKind kind) {
  return name_of(kTargetKindNames, kind);
}

TargetKind parse_target_kind(std::string_view text) {
  if (auto kind = value_named(kTargetKindNames, text)) return *kind;
  throw InputError("target", fmt::format("'{}' is not a target", printable(text)),
                   "use staging, bot <ID> or all");
}

std::size_t Selection::bot_count() const {
  std::size_t count = 0;
  for (const auto& host : hosts) {
    count += host.bots.size();
  }
  return count;
}

std::vector<HostName> Selection::host_names() const {
  std::vector<HostName> names;
  names.reserve(hosts.size());
  for (const auto& host : hosts) {
    names.push_back(host.name);
  }
  return names;
}

std::vector<BotId> Selection::bots() const {
  std::vector<BotId> all;
  for (const auto& host : hosts) {
    all.insert(all.end(), host.bots.begin(), host.bots.end());
  }
  return all;
}

Selection select_hosts(const Fleet& fleet, const Target& target) {
  Selection selection{target, {}};
  if (target.kind == TargetKind::bot) {
    if (!target.bot) {
      throw InputError("target", "bot needs a bot id", "write: deploy bot 539");
    }
    const Host& host = fleet.require_host_of(*target.bot);
    selection.hosts.push_back({host.name, host.address, {*target.bot}});
    return selection;
  }
  const HostGroup group =
      target.kind == TargetKind::staging ? HostGroup::staging : HostGroup::production;
  for (const Host& host : fleet.hosts()) {
    if (host.group == group) {
      selection.hosts.push_back({host.name, host.address, host.bots});
    }
  }
  if (selection.hosts.empty()) {
    throw InputError(
        "target", fmt::format("fleet {} has no {} hosts", fleet.name(), to_string(group)),
        fmt::format("mark hosts with group = \"{}\" in the fleet config", to_string(group)));
  }
  return selection;
}

std::string describe_target(const Selection& selection) {
  switch (selection.target.kind) {
    case TargetKind::all:
      return "ALL production bots";
    case TargetKind::staging:
      return fmt::format("staging bots {}", fmt::join(selection.bots(), "/"));
    case TargetKind::bot:
      return fmt::format("bot {} on {}", selection.target.bot.value_or(0),
                         selection.hosts.empty() ? "?" : selection.hosts.front().name);
  }
  return "";
}

}  // namespace drover::core
