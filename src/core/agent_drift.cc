#include "core/agent_drift.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/agent_report.h"
#include "core/name_table.h"
#include "core/text_columns.h"

namespace drover::core {
namespace {

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

constexpr NameTable<AgentState, 4> kAgentStateNames{{
    {AgentState::current, "current"},
    {AgentState::drifted, "drifted"},
    {AgentState::missing, "missing"},
    {AgentState::unreachable, "unreachable"},
}};
static_assert(covers_every_value(kAgentStateNames));

std::string what_it_runs(const HostAgent& agent) {
  if (agent.sha256.empty()) return agent.detail;
  return fmt::format("runs {}sha256 {}", agent.version.empty() ? "" : agent.version + ", ",
                     short_sha256(agent.sha256));
}

}  // namespace

std::string_view to_string(AgentState state) {
  return name_of(kAgentStateNames, state);
}

AgentState state_of_sha256(std::string_view sha256, std::string_view expected_sha256) {
  return !sha256.empty() && sha256 == expected_sha256 ? AgentState::current : AgentState::drifted;
}

std::string short_sha256(std::string_view sha256) {
  return sha256.empty() ? "?" : std::string(sha256.substr(0, 12));
}

HostAgent classify_agent_version(const HostName& host, const AgentResult& result,
                                 std::string_view expected_sha256) {
  HostAgent agent;
  agent.host = host;
  switch (result.status) {
    case TransportStatus::ok: {
      auto report = read_version_report(parsed_report(result));
      agent.version = std::move(report.version);
      agent.sha256 = std::move(report.sha256);
      agent.state = state_of_sha256(agent.sha256, expected_sha256);
      if (agent.sha256.empty()) agent.detail = "its `version` report names no sha256";
      if (agent.state == AgentState::drifted && !agent.sha256.empty()) {
        agent.detail = fmt::format("runs sha256 {}, not this drover's {}",
                                   short_sha256(agent.sha256), short_sha256(expected_sha256));
      }
      return agent;
    }
    case TransportStatus::agent_missing:
      agent.state = AgentState::missing;
      break;
    case TransportStatus::unreachable:
    case TransportStatus::timed_out:
      agent.state = AgentState::unreachable;
      break;
    case TransportStatus::agent_failed:
    case TransportStatus::bad_output:
      // This build's `version` touches nothing that can fail: whatever failed it is another
      // program.
      agent.state = AgentState::drifted;
      break;
    case TransportStatus::out_of_resources:
      throw OutOfResources(
          fmt::format("cannot ask {}'s agent its build: {}", host, first_line(result.detail)));
  }
  agent.detail = first_line(result.detail);
  if (agent.detail.empty()) agent.detail = std::string(to_string(result.status));
  return agent;
}

std::vector<HostName> DriftReport::hosts_in(AgentState state) const {
  std::vector<HostName> names;
  for (const auto& host : hosts) {
    if (host.state == state) names.push_back(host.host);
  }
  return names;
}

bool DriftReport::clean() const {
  return std::all_of(hosts.begin(), hosts.end(),
                     [](const HostAgent& h) { return h.state == AgentState::current; });
}

std::string render_drift_report(const DriftReport& report) {
  std::string out = fmt::format("drover-agent build of this drover: sha256 {}\n",
                                short_sha256(report.expected_sha256));
  std::vector<std::vector<std::string>> rows;
  for (auto state : {AgentState::drifted, AgentState::missing, AgentState::unreachable}) {
    for (const auto& host : report.hosts) {
      if (host.state == state) {
        rows.push_back({std::string(to_string(state)), host.host, what_it_runs(host)});
      }
    }
  }
  out += render_columns(rows, "  ", 2);
  const auto current = report.hosts_in(AgentState::current).size();
  const auto drifted = report.hosts_in(AgentState::drifted).size();
  const auto missing = report.hosts_in(AgentState::missing).size();
  const auto unreachable = report.hosts_in(AgentState::unreachable).size();
  const auto total = plural(report.hosts.size(), "host", "hosts");
  if (report.clean()) return out + fmt::format("{}: all run this build\n", total);
  out += fmt::format("{}: {} this build, {} drifted, {} missing, {} unreachable", total,
                     plural(current, "runs", "run"), drifted, missing, unreachable);
  std::vector<std::string> hints;
  if (drifted + missing > 0) {
    hints.push_back("run drover baseline --install-agent to put this build on them");
  }
  if (unreachable > 0) hints.push_back("check how the unreachable ones are reached");
  std::string joined;
  for (const auto& hint : hints) joined += (joined.empty() ? "" : "; ") + hint;
  return out + " (" + joined + ")\n";
}

nlohmann::json drift_to_json(const DriftReport& report) {
  auto hosts = nlohmann::json::array();
  for (const auto& host : report.hosts) {
    hosts.push_back({{"host", host.host},
                     {"state", to_string(host.state)},
                     {"version", host.version},
                     {"sha256", host.sha256},
                     {"detail", host.detail}});
  }
  return {{"expected_sha256", report.expected_sha256},
          {"clean", report.clean()},
          {"hosts", hosts},
          {"summary",
           {{"hosts", report.hosts.size()},
            {"current", report.hosts_in(AgentState::current).size()},
            {"drifted", report.hosts_in(AgentState::drifted).size()},
            {"missing", report.hosts_in(AgentState::missing).size()},
            {"unreachable", report.hosts_in(AgentState::unreachable).size()}}}};
}

AgentPreflight make_preflight(const DriftReport& report, bool allowed) {
  AgentPreflight preflight;
  preflight.expected_sha256 = report.expected_sha256;
  preflight.hosts = report.hosts.size();
  preflight.drifted = report.hosts_in(AgentState::drifted);
  preflight.missing = report.hosts_in(AgentState::missing);
  preflight.unreachable = report.hosts_in(AgentState::unreachable);
  preflight.drift_allowed = allowed;
  return preflight;
}

std::string preflight_refusal(const AgentPreflight& preflight) {
  std::vector<std::string> parts;
  if (!preflight.drifted.empty()) {
    parts.push_back(fmt::format("{} another drover-agent build ({})",
                                plural(preflight.drifted.size(), "host runs", "hosts run"),
                                host_list(preflight.drifted)));
  }
  if (!preflight.missing.empty()) {
    parts.push_back(fmt::format("{} no drover-agent ({})",
                                plural(preflight.missing.size(), "host has", "hosts have"),
                                host_list(preflight.missing)));
  }
  std::string what;
  for (const auto& part : parts) what += (what.empty() ? "" : " and ") + part;
  return "agent preflight: " + what +
         "; nothing was touched (put this build on them with drover baseline --install-agent, "
         "or deploy anyway with --allow-drift)";
}

std::string host_list(const std::vector<HostName>& hosts, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < hosts.size() && i < limit; ++i) {
    out += (out.empty() ? "" : ", ") + hosts[i];
  }
  if (hosts.size() > limit) out += fmt::format(" … and {} more", hosts.size() - limit);
  return out;
}

}  // namespace drover::core
