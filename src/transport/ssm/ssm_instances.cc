#include "transport/ssm/ssm_instances.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <string_view>

#include "transport/ssm/ssm_pages.h"

namespace drover::transport {
namespace {

// DescribeInstanceInformation takes at most 50 results a page; the InstanceIds filter is kept
// to the same size so one request's answer is one or two pages.
constexpr std::size_t kIdsPerRequest = 50;
constexpr int kPageSize = 50;

}  // namespace

std::map<std::string, SsmInstanceInfo> describe_instance_information(
    const AwsBodyCall& ssm, const std::vector<std::string>& instance_ids) {
  std::map<std::string, SsmInstanceInfo> found;
  for (std::size_t begin = 0; begin < instance_ids.size(); begin += kIdsPerRequest) {
    const auto end = std::min(instance_ids.size(), begin + kIdsPerRequest);
    const std::vector<std::string> chunk(instance_ids.begin() + static_cast<std::ptrdiff_t>(begin),
                                         instance_ids.begin() + static_cast<std::ptrdiff_t>(end));
    nlohmann::json input = {{"Filters", {{{"Key", "InstanceIds"}, {"Values", chunk}}}},
                            {"MaxResults", kPageSize}};
    for (;;) {
      auto page = read_instances_page(ssm("DescribeInstanceInformation", input));
      for (auto& info : page.instances) {
        auto id = info.instance_id;
        found[std::move(id)] = std::move(info);
      }
      if (page.next_token.empty()) {
        break;
      }
      input["NextToken"] = std::move(page.next_token);
    }
  }
  return found;
}

void SsmInstanceCache::load(const std::vector<std::string>& instance_ids) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> missing;
  std::set<std::string_view> listed;  // 10,000 ids: no linear search for repeats
  for (const auto& id : instance_ids) {
    if (!known_.contains(id) && listed.insert(id).second) {
      missing.push_back(id);
    }
  }
  if (missing.empty()) {
    return;
  }
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
