#pragma once
// `drover inventory [--json]`: the fleet as drover sees it — every host (configured or
// discovered), its instance id, group, bots and, for the ssm transport, whether its SSM agent
// is Online — as a table, or as one JSON document for automation.
#include <optional>
#include <string>
#include <vector>

#include "cli/commands/command.h"
#include "transport/ssm/ssm_instances.h"

namespace drover::cli {

struct InventoryRequest {
  bool json = false;
  FleetOptions fleet;
};

void add_inventory_options(CLI::App& subcommand, InventoryRequest& request);

/// One host's line of the inventory. `ssm` is nullopt for transports without SSM, or when
/// SSM does not manage the instance (`managed` false).
struct InventoryRow {
  core::Host host;
  std::string instance_id;  // "" for non-ssm transports
  bool managed = false;
  std::optional<transport::SsmInstanceInfo> ssm;
};

/// The table: HOST INSTANCE GROUP SSM BOTS, one row per host, and a summary line.
std::string render_inventory_table(const std::string& fleet, const std::vector<InventoryRow>& rows);
/// {"fleet": …, "transport": …, "hosts": [{"name", "instance_id", "group", "bots", "ssm":
/// {"ping_status", "computer_name", "platform", "agent_version"} | null}]}
nlohmann::json inventory_json(const DroverConfig& config, const std::vector<InventoryRow>& rows);

int run_inventory(const InventoryRequest& request, CliWorld& world);

}  // namespace drover::cli
