#include "cli/commands/show_command.h"

#include <CLI/CLI.hpp>
#include <cerrno>

#include "cli/state/deploy_journal.h"
#include "cli/state/durable_file.h"
#include "cli/view/deploy_html.h"
#include "cli/view/history_json.h"
#include "cli/view/history_text.h"
#include "core/exit_code.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {

void add_show_options(CLI::App& subcommand, ShowRequest& request) {
  subcommand.add_option("deploy_id", request.deploy_id, "the deploy's id (see drover history)")
      ->required();
  auto* json =
      subcommand.add_flag("--json", request.json, "one JSON document on stdout (docs/json.md)");
  subcommand
      .add_option("--html", request.html_file,
                  "write a picture of the deploy (timeline per host, verification) to FILE as "
                  "one self-contained HTML page")
      ->option_text("FILE")
      ->excludes(json);
  add_fleet_options(subcommand, request.fleet);
}

namespace {

// The page is written whole or not at all (durable_file.h); a path drover cannot write gets
// advice about that path, not about the state directory.
void check_page_name(const std::string& file) {
  if (file.empty() || file.back() == '/') {
    throw core::InputError("--html", "expected a file name, got \"" + core::printable(file) + "\"",
                           "name the page's file, e.g. --html deploy.html");
  }
}

void write_page(const std::string& file, const std::string& page) {
  try {
    replace_file_whole(file, page, 0644);
  } catch (const StorageError& e) {
    if (e.error() == ENOSPC || e.error() == EDQUOT || e.error() == EFBIG) throw;
    throw e.with_fix(
        "give --html a file in an existing directory you can write; nothing was written");
  }
}

}  // namespace

int run_show(const ShowRequest& request, CliWorld& world) {
  if (request.html_file) check_page_name(*request.html_file);
  auto config = load_fleet_config(request.fleet, world);
  auto deploy = load_deploy(StateDir::open_for(world.env, config.fleet), request.deploy_id);
  for (const auto& warning : deploy.warnings)
    world.terminal.error("drover: warning: " + warning + "\n");
  if (request.html_file) {
    write_page(*request.html_file, render_deploy_html(deploy));
    world.terminal.print("wrote " + core::printable(*request.html_file) + "\n");
  } else if (request.json) {
    world.terminal.print(
        deploy_json(deploy).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } else {
    world.terminal.print(render_deploy_details(deploy));
  }
  return core::to_int(core::ExitCode::success);
}

}  // namespace drover::cli
