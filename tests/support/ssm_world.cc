#include "support/ssm_world.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/test_env.h"
#include "util/subprocess.h"

namespace drover::testing {
namespace {

namespace fs = std::filesystem;

std::vector<HostSpec> plain_hosts(const std::vector<SsmHostSpec>& hosts) {
  std::vector<HostSpec> out;
  for (const auto& h : hosts) out.push_back(h.host);
  return out;
}

std::string bot_words(const std::vector<int>& bots, const char* separator) {
  std::string out;
  for (int id : bots) out += (out.empty() ? "" : separator) + std::to_string(id);
  return out;
}

std::string fleet_json(const std::string& fleet, const std::vector<SsmHostSpec>& hosts) {
  auto instances = nlohmann::json::array();
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    instances.push_back({{"id", SsmWorld::instance_id(i)},
                         {"ping_status", hosts[i].ping_status},
                         {"computer_name", hosts[i].host.name + ".internal"},
                         // Each instance is its own host: its agents share one swap lock.
                         {"env",
                          {{"DROVER_AGENT_LOCK",
                            (std::filesystem::temp_directory_path() /
                             ("drover-agent." + fleet + "." + SsmWorld::instance_id(i) + ".lock"))
                                .string()}}},
                         {"tags",
                          {{"Name", hosts[i].host.name},
                           {"drover-fleet", fleet},
                           {"drover-bots", bot_words(hosts[i].host.bots, " ")},
                           {"drover-group", hosts[i].host.group}}}});
  }
  return nlohmann::json{{"instances", instances}}.dump();
}

std::string ssm_config(const std::string& fleet, const std::vector<SsmHostSpec>& hosts,
                       const SsmWorldOptions& options, const std::string& agent) {
  std::string out = fmt::format(
      "[fleet]\n"
      "name = \"{}\"\n"
      "transport = \"ssm\"\n"
      "{}"
      "image = \"{}/drover-test/bot\"\n"
      "default_tag = \"v1\"\n"
      "login_probe = \"health\"\n"
      "disk_floor_mb = 64\n"
      "agent_path = \"{}\"\n\n"
      "[aws]\n"
      "tag = \"drover-fleet={}\"\n"
      "poll_interval = 0.2\n"
      "{}\n{}\n",
      fleet, options.discover ? "discover = \"ssm\"\n" : "", registry(), agent, fleet,
      options.extra_aws_keys, options.speeds);
  if (options.discover) return out;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    out +=
        fmt::format("[[hosts]]\nname = \"{}\"\naddress = \"{}\"\nbots = [{}]\ngroup = \"{}\"\n\n",
                    hosts[i].host.name, SsmWorld::instance_id(i),
                    bot_words(hosts[i].host.bots, ", "), hosts[i].host.group);
  }
  return out;
}

}  // namespace

SsmWorld::SsmWorld(std::string drover_binary, std::string agent_binary, std::string fleet_name,
                   std::vector<SsmHostSpec> hosts, SsmWorldOptions options)
    : hosts_(std::move(hosts)),
      fleet_(std::make_unique<DroverFleet>(std::move(drover_binary), fleet_name,
                                           plain_hosts(hosts_), options.speeds)) {
  FakeAwsOptions fake;
  fake.fleet_json = fleet_json(fleet_name, hosts_);
  fake.files_dir = options.files_dir;
  aws_ = std::make_unique<FakeAws>(fake);
  config_text_ = ssm_config(fleet_name, hosts_, options, agent_binary);
  config_path_ = fleet_->write_file("drover-ssm.toml", config_text_);
}

std::string SsmWorld::instance_id(std::size_t index) {
  return fmt::format("i-0d{:015x}", 0xd00000 + index);
}

std::map<std::string, std::string> SsmWorld::env() const {
  auto env = aws_->env();
  env["AWS_EC2_METADATA_DISABLED"] = "true";
  // The test's own files, not the operator's: no profile or config leaks in.
  env["AWS_CONFIG_FILE"] = (fleet_->dir() / "aws-config").string();
  env["AWS_SHARED_CREDENTIALS_FILE"] = (fleet_->dir() / "aws-credentials").string();
  for (auto& [key, value] : fleet_->env()) env[key] = value;
  return env;
}

DroverRun SsmWorld::drover(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env_overrides) const {
  ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.extra_env = env();
  for (const auto& [key, value] : env_overrides) options.extra_env[key] = value;
  PosixProcessRunner runner;
  auto result = runner.run(fleet_->argv(args, config_path_), options);
  return {result.exit_code, result.out, result.err};
}

std::string SsmWorld::state_text() const {
  std::string out;
  std::error_code ec;
  if (!fs::exists(fleet_->state_dir(), ec)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(fleet_->state_dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    out += std::string(std::istreambuf_iterator<char>(in), {});
  }
  return out;
}

int count_calls(const nlohmann::json& calls, const std::string& operation,
                const std::string& error) {
  int n = 0;
  for (const auto& call : calls) {
    if (call.value("operation", "") != operation) continue;
    if (error.empty() ? !call.contains("error") : call.value("error", "") == error) ++n;
  }
  return n;
}

std::string where_is(const std::string& secret, const std::map<std::string, std::string>& texts) {
  for (const auto& [name, text] : texts) {
    if (text.find(secret) != std::string::npos) return name;
  }
  return "";
}

}  // namespace drover::testing
