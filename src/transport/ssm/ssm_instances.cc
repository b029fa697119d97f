#include "transport/ssm/ssm_instances.h"

#include <algorithm>

namespace drover::transport {
namespace {

// DescribeInstanceInformation takes at most 50 results a page; the InstanceIds filter is kept
// to the same size so one request's answer is one or two pages.
constexpr std::size_t kIdsPerRequest = 50;
constexpr int kPageSize = 50;

std::string text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::map<std::string, SsmInstanceInfo> describe_instance_information(
    const AwsJsonCall& ssm, const std::vector<std::string>& instance_ids) {
  std::map<std::string, SsmInstanceInfo> found;
  for (std::size_t begin = 0; begin < instance_ids.size(); begin += kIdsPerRequest) {
    const auto end = std::min(instance_ids.size(), begin + kIdsPerRequest);
    const std::vector<std::string> chunk(instance_ids.begin() + begin, instance_ids.begin() + end);
    nlohmann::json input = {{"Filters", {{{"Key", "InstanceIds"}, {"Values", chunk}}}},
                            {"MaxResults", kPageSize}};
    for (;;) {
      auto output = ssm("DescribeInstanceInformation", input);
      for (const auto& row : output.value("InstanceInformationList", nlohmann::json::array())) {
        SsmInstanceInfo info{text(row, "InstanceId"), text(row, "PingStatus"),
                             text(row, "ComputerName"),
                             text(row, "PlatformName") + " " + text(row, "PlatformVersion"),
                             text(row, "AgentVersion")};
        if (!info.instance_id.empty()) found[info.instance_id] = std::move(info);
      }
      auto token = text(output, "NextToken");
      if (token.empty()) break;
      input["NextToken"] = token;
    }
  }
  return found;
}

void SsmInstanceCache::load(const std::vector<std::string>& instance_ids) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> missing;
  for (const auto& id : instance_ids) {
    if (!known_.contains(id) && std::find(missing.begin(), missing.end(), id) == missing.end()) {
      missing.push_back(id);
    }
  }
  if (missing.empty()) return;
  auto found = describe_instance_information(ssm_, missing);
  for (const auto& id : missing) {
    auto it = found.find(id);
    known_[id] = it == found.end() ? std::nullopt : std::optional(it->second);
  }
}

std::optional<SsmInstanceInfo> SsmInstanceCache::get(const std::string& instance_id) {
  load({instance_id});
  std::lock_guard lock(mutex_);
  return known_.at(instance_id);
}

}  // namespace drover::transport
