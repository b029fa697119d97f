#pragma once
// `drover show DEPLOY_ID [--json] [--html FILE]`: everything recorded about one deploy (or
// rollback): who ran it and how, the plan box, every planned host with its latest outcome, the
// result (or how to resume it), and the verification with the straggler retry; --json prints
// the journal's facts as one JSON document (view/history_json.h, docs/json.md); --html FILE
// writes a picture of the deploy as one self-contained page (view/deploy_html.h) and prints
// where, instead of the text.
#include <optional>
#include <string>

#include "cli/commands/command.h"

namespace drover::cli {

struct ShowRequest {
  std::string deploy_id;
  bool json = false;
  std::optional<std::string> html_file;  // nullopt: no page
  FleetOptions fleet;
};

void add_show_options(CLI::App& subcommand, ShowRequest& request);

int run_show(const ShowRequest& request, CliWorld& world);

}  // namespace drover::cli
