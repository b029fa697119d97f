#include "cli/commands/inventory_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "core/exit_code.h"
#include "core/printable_text.h"
#include "core/text_columns.h"
#include "transport/ssm/instance_id.h"

namespace drover::cli {
namespace {

std::string bot_list(const std::vector<core::BotId>& bots) {
  std::string out;
  for (auto bot : bots) out += (out.empty() ? "" : " ") + std::to_string(bot);
  return out;
}

std::string ssm_state(const InventoryRow& row) {
  if (row.instance_id.empty()) return "-";
  if (!row.ssm) return "not managed";
  return core::printable(row.ssm->ping_status);
}

std::vector<InventoryRow> gather(const DroverConfig& config, CliWorld& world) {
  std::vector<InventoryRow> rows;
  std::vector<std::string> ids;
  for (const auto& host : config.fleet.hosts()) {
    InventoryRow row{host, "", false, std::nullopt};
    if (config.transport == TransportKind::ssm) {
      row.instance_id = transport::instance_id_of(host);
      ids.push_back(row.instance_id);
    }
    rows.push_back(std::move(row));
  }
  if (ids.empty()) return rows;
  auto known = transport::describe_instance_information(world.aws(config.aws).ssm_pages(), ids);
  for (auto& row : rows) {
    auto it = known.find(row.instance_id);
    row.managed = it != known.end();
    if (row.managed) row.ssm = it->second;
  }
  return rows;
}

}  // namespace

std::string render_inventory_table(const std::string& fleet,
                                   const std::vector<InventoryRow>& rows) {
  std::vector<std::vector<std::string>> cells{{"HOST", "INSTANCE", "GROUP", "SSM", "BOTS"}};
  std::size_t bots = 0;
  std::size_t online = 0;
  for (const auto& row : rows) {
    cells.push_back({core::printable(row.host.name),
                     row.instance_id.empty() ? "-" : core::printable(row.instance_id),
                     std::string(core::to_string(row.host.group)), ssm_state(row),
                     bot_list(row.host.bots)});
    bots += row.host.bots.size();
    if (row.ssm && row.ssm->ping_status == "Online") ++online;
  }
  auto out =
      fmt::format("fleet {}: {} host(s), {} bot(s)", core::printable(fleet), rows.size(), bots);
  if (!rows.empty() && !rows.front().instance_id.empty()) {
    out += fmt::format(", {} of {} SSM agent(s) Online", online, rows.size());
  }
  return out + "\n" + core::render_columns(cells, "", 2);
}

nlohmann::json inventory_json(const DroverConfig& config, const std::vector<InventoryRow>& rows) {
  auto hosts = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json ssm = nullptr;
    if (row.ssm) {
      ssm = {{"ping_status", row.ssm->ping_status},
             {"computer_name", row.ssm->computer_name},
             {"platform", row.ssm->platform},
             {"agent_version", row.ssm->agent_version}};
    }
    hosts.push_back({{"name", row.host.name},
                     {"instance_id", row.instance_id.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(row.instance_id)},
                     {"group", core::to_string(row.host.group)},
                     {"bots", row.host.bots},
                     {"managed", row.managed},
                     {"ssm", ssm}});
  }
  return {{"fleet", config.fleet.name()},
          {"transport", to_string(config.transport)},
          {"discovered", config.aws.discover == Discovery::ssm},
          {"hosts", hosts}};
}

void add_inventory_options(CLI::App& subcommand, InventoryRequest& request) {
  subcommand.add_flag("--json", request.json, "one JSON document on stdout");
  add_fleet_options(subcommand, request.fleet);
}

int run_inventory(const InventoryRequest& request, CliWorld& world) {
  auto config = load_fleet_config(request.fleet, world);
  auto rows = gather(config, world);
  if (request.json) {
    world.terminal.print(inventory_json(config, rows)
                             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                         "\n");
  } else {
    world.terminal.print(render_inventory_table(config.fleet.name(), rows));
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
