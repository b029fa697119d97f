#pragma once
// What a deploy is aimed at, and which hosts and bots that selects from the fleet:
//   staging  → every staging host, all its bots
//   bot N    → the one host holding N, with only bot N selected (its neighbours untouched)
//   all      → every production host, all its bots
// Invariant of Selection: hosts is non-empty, in fleet order, and every HostSelection
// names at least one bot that the fleet places on that host.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bot_id.h"
#include "core/fleet.h"

namespace drover::core {

enum class TargetKind { staging, bot, all };

/// "staging" | "bot" | "all".
std::string_view to_string(TargetKind kind);
/// Parses "staging" | "bot" | "all"; throws InputError naming the three otherwise.
TargetKind parse_target_kind(std::string_view text);

struct Target {
  TargetKind kind = TargetKind::all;
  std::optional<BotId> bot;  // set exactly when kind == bot

  static Target staging() { return {TargetKind::staging, std::nullopt}; }
  static Target all() { return {TargetKind::all, std::nullopt}; }
  static Target single_bot(BotId id) { return {TargetKind::bot, id}; }
  bool operator==(const Target&) const = default;
};

struct HostSelection {
  HostName name;
  std::optional<std::string> address;
  std::vector<BotId> bots;  // the bots this deploy touches on the host

  bool operator==(const HostSelection&) const = default;
};

struct Selection {
  Target target;
  std::vector<HostSelection> hosts;

  std::size_t bot_count() const;
  std::vector<HostName> host_names() const;
  /// Every selected bot, in host order.
  std::vector<BotId> bots() const;

  bool operator==(const Selection&) const = default;
};

/// The hosts and bots `target` means in `fleet`. Throws InputError when it selects nothing
/// (no staging hosts, no production hosts) or names a bot the fleet does not have.
Selection select_hosts(const Fleet& fleet, const Target& target);

/// The plan's "Target" row: "ALL production bots", "staging bots 898/899/900",
/// "bot 539 on host-1".
std::string describe_target(const Selection& selection);

}  // namespace drover::core
