// The baseline report (agent_report.h): the host safeguards `drover-agent baseline` checked,
// read by `drover baseline` into its fleet table.
#include "core/agent_report.h"
#include "core/agent_report_fields.h"
#include "core/agent_report_read.h"

namespace drover::core {
namespace {

using nlohmann::json;
using report_reading::optional_string;

json check_to_json(const BaselineCheck& check) {
  return {{"check", check.check}, {"ok", check.ok},           {"detail", check.detail},
          {"found", check.found}, {"fixable", check.fixable}, {"fixed", check.fixed}};
}

BaselineCheck check_from(const JsonReader& j) {
  BaselineCheck check;
  check.check = j.at("check").string();
  check.ok = j.at("ok").boolean();
  check.detail = j.at("detail").string();
  if (auto fixable = j.maybe("fixable")) check.fixable = fixable->boolean();
  if (auto fixed = j.maybe("fixed")) check.fixed = fixed->boolean();
  if (auto found = j.maybe("found")) check.found = found->string();
  return check;
}

}  // namespace

json to_json(const BaselineReport& report) {
  json checks = json::array();
  for (const auto& check : report.checks) checks.push_back(check_to_json(check));
  return {{"command", "baseline"},
          {"host", report.host},
          {"root", report.root},
          {"ok", report.ok},
          {"agent_version", report.agent_version},
          {"agent_sha256", report.agent_sha256},
          {"checks", checks}};
}

BaselineReport read_baseline_report(const json& document) {
  return report_fields::reading([&] {
    const JsonReader root(document, "report");
    report_reading::expect_command(root, "baseline");
    BaselineReport report;
    report.host = optional_string(root, "host");
    report.root = optional_string(root, "root");
    if (auto ok = root.maybe("ok")) report.ok = ok->boolean();
    report.agent_version = optional_string(root, "agent_version");
    report.agent_sha256 = optional_string(root, "agent_sha256");
    for (const auto& check : root.at("checks").array()) report.checks.push_back(check_from(check));
    return report;
  });
}

}  // namespace drover::core
