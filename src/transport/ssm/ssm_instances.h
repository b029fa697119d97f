#pragma once
// Which instances' SSM agents are Online, asked once per run: DescribeInstanceInformation for
// all the fleet's instance ids (paginated), kept for the rest of the run. An instance that is
// not Online is unreachable without sending it a command; an instance SSM does not list at all
// is not a managed node (no SSM agent, no instance profile) and is unreachable too.
// Thread-safe: run_agent calls from the rollout's threads share one cache.
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "transport/ssm/ssm_api.h"

namespace drover::transport {

/// One managed node as DescribeInstanceInformation reports it.
struct SsmInstanceInfo {
  std::string instance_id;
  std::string ping_status;  // Online, ConnectionLost, Inactive
  std::string computer_name;
  std::string platform;  // "Debian GNU/Linux 12"
  std::string agent_version;
};

/// The instances among `instance_ids` that SSM knows, by id. Asks in chunks the API accepts,
/// following NextToken, and reads the pages with ssm_pages.h. Throws aws::AwsError.
std::map<std::string, SsmInstanceInfo> describe_instance_information(
    const AwsBodyCall& ssm, const std::vector<std::string>& instance_ids);

class SsmInstanceCache {
 public:
  explicit SsmInstanceCache(AwsBodyCall ssm) : ssm_(std::move(ssm)) {}

  /// Asks about every id not asked about yet, in one paginated call. Throws aws::AwsError.
  void load(const std::vector<std::string>& instance_ids);

  /// What SSM said about `instance_id` (loading it first when it was not asked about);
  /// nullopt when SSM does not manage it. Throws aws::AwsError.
  std::optional<SsmInstanceInfo> get(const std::string& instance_id);

 private:
  AwsBodyCall ssm_;
  std::mutex mutex_;
  std::map<std::string, std::optional<SsmInstanceInfo>> known_;
};

}  // namespace drover::transport
