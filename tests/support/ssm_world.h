#pragma once
// An end-to-end world for drover's ssm transport: a DroverFleet (bot containers on the local
// engine, a private state directory) whose hosts are EC2 instances of a FakeAws endpoint. The
// endpoint runs each SendCommand script with /bin/sh on this machine, so the real drover-agent
// swaps the real bots; drover reaches it only through AWS_ENDPOINT_URL and SigV4.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/drover_fleet.h"
#include "support/fake_aws.h"

namespace drover::testing {

struct SsmHostSpec {
  HostSpec host;
  std::string ping_status = "Online";
};

struct SsmWorldOptions {
  bool discover = false;       // discover = "ssm" (EC2 tags) instead of [[hosts]]
  std::string files_dir;       // served by the endpoint under /files/
  std::string extra_aws_keys;  // more lines for the [aws] table
  std::string speeds = kQuickSpeeds;
};

class SsmWorld {
 public:
  /// `drover_binary`, `agent_binary`: the builds under test (DROVER_BIN, DROVER_AGENT_BIN).
  SsmWorld(std::string drover_binary, std::string agent_binary, std::string fleet_name,
           std::vector<SsmHostSpec> hosts, SsmWorldOptions options = {});

  /// "i-0d00…<n>" for host index n.
  static std::string instance_id(std::size_t index);

  /// Runs the drover binary with the ssm config, the endpoint's env and `env_overrides`.
  DroverRun drover(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env_overrides = {}) const;

  /// The environment drover gets (endpoint, test credentials, no IMDS).
  std::map<std::string, std::string> env() const;

  DroverFleet& fleet() { return *fleet_; }
  FakeAws& aws() { return *aws_; }
  const std::string& config_path() const { return config_path_; }
  const std::string& config_text() const { return config_text_; }
  const std::vector<SsmHostSpec>& hosts() const { return hosts_; }

  /// Every file under the fleet's state directory, concatenated (journals, origins).
  std::string state_text() const;

 private:
  std::vector<SsmHostSpec> hosts_;
  std::unique_ptr<DroverFleet> fleet_;
  std::unique_ptr<FakeAws> aws_;
  std::string config_text_;
  std::string config_path_;
};

/// How many of the endpoint's `calls` (FakeAws::calls()) were `operation`: those that succeeded,
/// or, given `error`, those that failed with it.
int count_calls(const nlohmann::json& calls, const std::string& operation,
                const std::string& error = "");

/// Where `secret` shows up among the named texts ("" when nowhere).
std::string where_is(const std::string& secret, const std::map<std::string, std::string>& texts);

}  // namespace drover::testing
