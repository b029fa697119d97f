#pragma once
// `drover history [--limit N] [--json]`: the fleet's past deploys and rollbacks, newest first,
// one row each (id, start, target, speed, image, digest, hosts, result, operator), read from
// the journals in the state directory; --json prints the same facts as one JSON document
// (view/history_json.h, docs/json.md). A journal that cannot be read is skipped with a warning
// on stderr.
#include <cstddef>

#include "cli/commands/command.h"

namespace drover::cli {

/// The most rows --limit takes.
inline constexpr std::size_t kMaxHistoryRows = 100000;

struct HistoryRequest {
  std::size_t limit = 20;  // rows to show
  bool json = false;
  FleetOptions fleet;
};

void add_history_options(CLI::App& subcommand, HistoryRequest& request);

int run_history(const HistoryRequest& request, CliWorld& world);

}  // namespace drover::cli
