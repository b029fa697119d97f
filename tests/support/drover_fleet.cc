#include "support/drover_fleet.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "support/test_env.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

std::vector<int> ids_of(const std::vector<HostSpec>& hosts) {
  std::vector<int> ids;
  for (const auto& host : hosts) ids.insert(ids.end(), host.bots.begin(), host.bots.end());
  return ids;
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "drover-e2e-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

std::string toml_config(const std::string& fleet, const std::vector<HostSpec>& hosts,
                        const std::string& speeds) {
  std::string out = fmt::format(
      "[fleet]\n"
      "name = \"{}\"\n"
      "transport = \"local\"\n"
      "image = \"{}/drover-test/bot\"\n"
      "default_tag = \"v1\"\n"
      "login_probe = \"health\"\n"
      "disk_floor_mb = 64\n\n{}\n",
      fleet, registry(), speeds);
  for (const auto& host : hosts) {
    std::string bots;
    for (int id : host.bots) bots += (bots.empty() ? "" : ", ") + std::to_string(id);
    out += fmt::format("[[hosts]]\nname = \"{}\"\nbots = [{}]\ngroup = \"{}\"\n\n", host.name, bots,
                       host.group);
  }
  return out;
}

}  // namespace

DroverFleet::DroverFleet(std::string drover_binary, std::string fleet_name,
                         std::vector<HostSpec> hosts, std::string speeds)
    : binary_(std::move(drover_binary)),
      fleet_name_(std::move(fleet_name)),
      hosts_(std::move(hosts)),
      dir_(make_temp_dir()),
      config_text_(toml_config(fleet_name_, hosts_, speeds)),
      containers_(ids_of(hosts_)) {
  write_file("drover.toml", config_text_);
}

DroverFleet::~DroverFleet() {
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void DroverFleet::run_all(const std::string& tag) {
  containers_.run_all(image("bot", tag));
}

std::vector<std::string> DroverFleet::argv(const std::vector<std::string>& args,
                                           const std::string& config) const {
  std::vector<std::string> out{binary_};
  out.insert(out.end(), args.begin(), args.end());
  out.push_back("--config");
  out.push_back(config.empty() ? config_path().string() : config);
  return out;
}

std::map<std::string, std::string> DroverFleet::env() const {
  auto out = extra_env_;
  out["DROVER_STATE_DIR"] = state_dir().string();
  return out;
}

DroverRun DroverFleet::drover(const std::vector<std::string>& args,
                              const std::string& config) const {
  ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.extra_env = env();
  PosixProcessRunner runner;
  auto result = runner.run(argv(args, config), options);
  return {result.exit_code, result.out, result.err};
}

std::map<int, docker::ContainerInfo> DroverFleet::snapshot() {
  std::map<int, docker::ContainerInfo> out;
  for (int id : all_bots()) out[id] = bot(id);
  return out;
}

docker::ContainerInfo DroverFleet::bot(int id) {
  auto info = containers_.runtime().inspect_container("bot" + std::to_string(id));
  if (!info) throw std::runtime_error("bot" + std::to_string(id) + " has no container");
  return *info;
}

std::string DroverFleet::version(int id) {
  auto info = bot(id);
  const auto& labels = info.config.value("Labels", nlohmann::json::object());
  return labels.value("drover.test.image", std::string("?"));
}

bool DroverFleet::has_prev(int id) {
  return containers_.runtime().inspect_container("bot" + std::to_string(id) + "-prev").has_value();
}

std::vector<int> DroverFleet::bots_of(const std::string& host) const {
  for (const auto& h : hosts_) {
    if (h.name == host) return h.bots;
  }
  throw std::out_of_range("no host " + host);
}

std::vector<int> DroverFleet::bots_in_group(const std::string& group) const {
  std::vector<int> ids;
  for (const auto& h : hosts_) {
    if (h.group == group) ids.insert(ids.end(), h.bots.begin(), h.bots.end());
  }
  return ids;
}

std::vector<int> DroverFleet::all_bots() const {
  return ids_of(hosts_);
}

std::vector<std::string> DroverFleet::journal_files() const {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(fleet_state_dir() / "deploys", ec)) return out;
  for (const auto& entry : fs::directory_iterator(fleet_state_dir() / "deploys")) {
    out.push_back(entry.path().filename().string());
  }
  return out;
}

std::string DroverFleet::write_file(const std::string& name, const std::string& text) const {
  auto path = dir_ / name;
  std::ofstream file(path, std::ios::trunc);
  file << text;
  if (!file.flush()) throw std::runtime_error("cannot write " + path.string());
  return path.string();
}

std::string deploy_id_in(const std::string& output) {
  static const std::regex line(
      "command: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
      "[0-9a-f]{12})");
  std::smatch match;
  return std::regex_search(output, match, line) ? match[1].str() : "";
}

std::set<std::string> hosts_ok(const std::string& output) {
  static const std::regex line(R"(\[\d+/\d+\] (host-\d+): ok)");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

std::string bot_names(std::vector<int> ids) {
  std::vector<std::string> names;
  for (int id : ids) names.push_back("bot" + std::to_string(id));
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : " ") + name;
  return out;
}

std::string first_missing(const std::string& haystack, const std::vector<std::string>& needles) {
  for (const auto& needle : needles) {
    if (haystack.find(needle) == std::string::npos) return needle;
  }
  return "";
}

void expect_untouched(const docker::ContainerInfo& before, const docker::ContainerInfo& now) {
  EXPECT_EQ(now.id, before.id) << before.name << " was replaced";
  EXPECT_EQ(now.state.started_at, before.state.started_at) << before.name << " was restarted";
  EXPECT_TRUE(now.state.running) << before.name << " is not running";
}

}  // namespace drover::testing
