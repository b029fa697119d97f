#include "core/fleet_baseline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/name_table.h"
#include "core/text_columns.h"

namespace drover::core {
namespace {

struct Column {
  const char* check;
  const char* label;
};

// The table's columns, in the agent's order; a check a newer agent adds still gets its
// problem lines, just no column. registry_access is shown only when some host reported it
// (agents asked without the fleet's image, or older ones, do not).
constexpr std::array<Column, 5> kColumns{{{"docker_on_boot", "docker on boot"},
                                          {"resolv_conf_mode", "resolv.conf"},
                                          {"docker_log_rotation", "log rotation"},
                                          {"disk_free", "free disk"},
                                          {"registry_access", "registry"}}};

std::string label_of(const std::string& check) {
  for (const auto& column : kColumns) {
    if (check == column.check) return column.label;
  }
  return check;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string agent_cell(const HostBaseline& host) {
  if (!host.install_error.empty()) return "install failed";
  switch (host.answer) {
    case BaselineAnswer::unreachable:
      return "unreachable";
    case BaselineAnswer::agent_missing:
      return "missing";
    case BaselineAnswer::agent_error:
      return "error";
    case BaselineAnswer::checked:
      break;
  }
  if (host.agent != AgentState::current) return "drifted";
  std::string cell = host.agent_version.empty() ? "✓" : host.agent_version + " ✓";
  return host.installed ? cell + " (new)" : cell;
}

bool reports(const HostBaseline& host, const char* check) {
  return std::any_of(host.checks.begin(), host.checks.end(),
                     [&](const BaselineCheck& c) { return c.check == check; });
}

// The columns of this table: the host checks every agent makes, and the optional ones some
// host reported.
std::vector<Column> columns_of(const FleetBaseline& baseline) {
  std::vector<Column> columns;
  for (const auto& column : kColumns) {
    const bool optional = std::string_view(column.check) == "registry_access";
    if (!optional || std::any_of(baseline.hosts.begin(), baseline.hosts.end(),
                                 [&](const HostBaseline& h) { return reports(h, column.check); })) {
      columns.push_back(column);
    }
  }
  return columns;
}

std::vector<std::string> row_of(const HostBaseline& host, const std::vector<Column>& columns) {
  std::vector<std::string> row{host.host};
  for (const auto& column : columns) {
    auto it = std::find_if(host.checks.begin(), host.checks.end(),
                           [&](const BaselineCheck& c) { return c.check == column.check; });
    row.push_back(
        host.answer == BaselineAnswer::checked && it != host.checks.end() ? check_cell(*it) : "-");
  }
  row.push_back(agent_cell(host));
  return row;
}

std::string answer_problem(const HostBaseline& host) {
  switch (host.answer) {
    case BaselineAnswer::unreachable:
      return "unreachable: " + host.detail;
    case BaselineAnswer::agent_missing:
      return "no agent: " + host.detail + " (drover baseline --install-agent installs it)";
    case BaselineAnswer::agent_error:
      return "the agent failed: " + host.detail;
    case BaselineAnswer::checked:
      break;
  }
  return "";
}

// Lines under the table, for one host: what is wrong and how to fix it, then what --fix did.
std::vector<std::string> lines_of(const HostBaseline& host, const std::string& expected_sha256) {
  std::vector<std::string> lines;
  auto add = [&](const std::string& text) { lines.push_back(host.host + ": " + text); };
  if (host.answer != BaselineAnswer::checked) add(answer_problem(host));
  if (!host.install_error.empty()) add("agent install failed: " + host.install_error);
  if (host.answer == BaselineAnswer::checked && host.agent != AgentState::current) {
    add(
        fmt::format("agent: runs {}sha256 {}, not this drover's build {} (drover baseline "
                    "--install-agent replaces it)",
                    host.agent_version.empty() ? "" : host.agent_version + ", ",
                    short_sha256(host.agent_sha256), short_sha256(expected_sha256)));
  }
  for (const auto& check : host.checks) {
    if (!check.ok) add(label_of(check.check) + ": " + first_line(check.detail));
  }
  for (const auto& check : host.checks) {
    if (check.fixed) add(label_of(check.check) + ": fixed: " + first_line(check.detail));
  }
  return lines;
}

std::string hints(const FleetBaseline& baseline) {
  bool fixable = false, by_hand = false, agents = false, silent = false;
  for (const auto& host : baseline.hosts) {
    for (const auto& check : host.checks) {
      if (check.ok) continue;
      if (check.fixable && !baseline.fix) {
        fixable = true;
      } else {
        by_hand = true;
      }
    }
    if (host.answer == BaselineAnswer::agent_missing || !host.install_error.empty() ||
        (host.answer == BaselineAnswer::checked && host.agent != AgentState::current)) {
      agents = true;
    }
    if (host.answer == BaselineAnswer::unreachable || host.answer == BaselineAnswer::agent_error) {
      silent = true;
    }
  }
  std::vector<std::string> parts;
  if (fixable) parts.push_back("run drover baseline --fix");
  if (agents) parts.push_back("run drover baseline --install-agent");
  if (by_hand) parts.push_back("fix the rest by hand as the lines above say");
  if (silent) parts.push_back("check the hosts that did not answer");
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

nlohmann::json check_to_json(const BaselineCheck& check) {
  return {{"check", check.check},  {"ok", check.ok},       {"fixable", check.fixable},
          {"fixed", check.fixed},  {"found", check.found}, {"cell", check_cell(check)},
          {"detail", check.detail}};
}

constexpr NameTable<BaselineAnswer, 4> kBaselineAnswerNames{{
    {BaselineAnswer::checked, "checked"},
    {BaselineAnswer::unreachable, "unreachable"},
    {BaselineAnswer::agent_missing, "agent_missing"},
    {BaselineAnswer::agent_error, "agent_error"},
}};
static_assert(covers_every_value(kBaselineAnswerNames));

std::string_view answer_name(BaselineAnswer answer) {
  return name_of(kBaselineAnswerNames, answer);
}

}  // namespace

bool HostBaseline::needs_attention() const {
  if (answer != BaselineAnswer::checked || agent != AgentState::current) return true;
  if (!install_error.empty()) return true;
  return std::any_of(checks.begin(), checks.end(), [](const BaselineCheck& c) { return !c.ok; });
}

HostBaseline host_baseline_from(const HostName& host, const AgentResult& result,
                                std::string_view expected_sha256) {
  HostBaseline out;
  out.host = host;
  switch (result.status) {
    case TransportStatus::ok:
      try {
        auto report = read_baseline_report(parsed_report(result));
        out.checks = std::move(report.checks);
        out.agent_version = std::move(report.agent_version);
        out.agent_sha256 = std::move(report.agent_sha256);
        out.agent = state_of_sha256(out.agent_sha256, expected_sha256);
        out.answer = BaselineAnswer::checked;
      } catch (const AgentOutputError& e) {
        out.checks.clear();
        out.answer = BaselineAnswer::agent_error;
        out.detail = std::string("unreadable baseline report: ") + e.what();
      }
      return out;
    case TransportStatus::agent_missing:
      out.answer = BaselineAnswer::agent_missing;
      out.agent = AgentState::missing;
      break;
    case TransportStatus::unreachable:
    case TransportStatus::timed_out:
      out.answer = BaselineAnswer::unreachable;
      break;
    case TransportStatus::agent_failed:
    case TransportStatus::bad_output:
      out.answer = BaselineAnswer::agent_error;
      break;
    case TransportStatus::out_of_resources:
      throw OutOfResources("cannot check " + host + ": " + first_line(result.detail));
  }
  out.detail = first_line(result.detail);
  if (out.detail.empty()) out.detail = std::string(to_string(result.status));
  return out;
}

std::size_t FleetBaseline::needing_attention() const {
  return static_cast<std::size_t>(std::count_if(
      hosts.begin(), hosts.end(), [](const HostBaseline& h) { return h.needs_attention(); }));
}

std::size_t FleetBaseline::fixes_made() const {
  std::size_t fixes = 0;
  for (const auto& host : hosts) {
    fixes += static_cast<std::size_t>(std::count_if(
        host.checks.begin(), host.checks.end(), [](const BaselineCheck& c) { return c.fixed; }));
  }
  return fixes;
}

std::string check_cell(const BaselineCheck& check) {
  if (check.check == "docker_on_boot") {
    if (check.fixed) return "NOT enabled → fixed";
    if (check.ok) return "enabled";
    if (check.found == "masked" || check.found == "no systemd") return check.found;
    return "NOT enabled";
  }
  const std::string found = check.found.empty() ? (check.ok ? "ok" : "PROBLEM") : check.found;
  if (check.fixed) return found + " → fixed";
  if (!check.ok && check.check == "disk_free" && found != "unknown") return found + " (low)";
  return found;
}

std::string baseline_summary(const FleetBaseline& baseline) {
  const auto total = plural(baseline.hosts.size(), "host", "hosts");
  const auto attention = baseline.needing_attention();
  const auto fixes = baseline.fixes_made();
  const std::string fixed =
      fixes == 0 ? "" : fmt::format(", {} made by this run", plural(fixes, "fix", "fixes"));
  if (attention == 0) return fmt::format("{}: all ok{}\n", total, fixed);
  return fmt::format("{}: {} ok, {} attention{} ({})\n", total, baseline.hosts.size() - attention,
                     plural(attention, "needs", "need"), fixed, hints(baseline));
}

std::string render_fleet_baseline(const FleetBaseline& baseline) {
  std::vector<const HostBaseline*> order;
  for (const auto& host : baseline.hosts) order.push_back(&host);
  std::stable_partition(order.begin(), order.end(),
                        [](const HostBaseline* h) { return h->needs_attention(); });

  const auto columns = columns_of(baseline);
  std::vector<std::vector<std::string>> rows{{"host"}};
  for (const auto& column : columns) rows.front().push_back(column.label);
  rows.front().push_back("agent");
  std::vector<std::string> lines;
  for (const auto* host : order) {
    rows.push_back(row_of(*host, columns));
    auto more = lines_of(*host, baseline.expected_sha256);
    lines.insert(lines.end(), more.begin(), more.end());
  }
  std::string out = render_columns(rows, "", 2);
  if (!lines.empty()) out += "\n";
  for (const auto& line : lines) out += line + "\n";
  return out + baseline_summary(baseline);
}

nlohmann::json fleet_baseline_to_json(const FleetBaseline& baseline) {
  auto hosts = nlohmann::json::array();
  for (const auto& host : baseline.hosts) {
    auto checks = nlohmann::json::array();
    for (const auto& check : host.checks) checks.push_back(check_to_json(check));
    const bool known = host.answer != BaselineAnswer::agent_error;
    hosts.push_back({{"host", host.host},
                     {"needs_attention", host.needs_attention()},
                     {"answer", answer_name(host.answer)},
                     {"detail", host.detail},
                     {"agent",
                      {{"state", known ? std::string(to_string(host.agent)) : "unknown"},
                       {"version", host.agent_version},
                       {"sha256", host.agent_sha256}}},
                     {"installed", host.installed},
                     {"install_error", host.install_error},
                     {"checks", checks}});
  }
  return {{"fix", baseline.fix},
          {"expected_agent_sha256", baseline.expected_sha256},
          {"hosts", hosts},
          {"summary",
           {{"hosts", baseline.hosts.size()},
            {"ok", baseline.hosts.size() - baseline.needing_attention()},
            {"need_attention", baseline.needing_attention()},
            {"fixes_made", baseline.fixes_made()},
            {"text", first_line(baseline_summary(baseline))}}}};
}

}  // namespace drover::core
