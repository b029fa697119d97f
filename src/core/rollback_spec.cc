#include "core/rollback_spec.h"

#include <algorithm>

namespace drover::core {

std::string RollbackSpec::image_for(BotId bot) const {
  for (const auto& target : targets) {
    if (target.bot == bot) return target.image;
  }
  return "";
}

std::vector<DigestGroup> digest_groups(const RollbackSpec& spec) {
  std::vector<DigestGroup> groups;
  for (const auto& target : spec.targets) {
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const DigestGroup& g) { return g.image == target.image; });
    if (group == groups.end()) group = groups.insert(groups.end(), {target.image, {}, {}});
    group->bots.push_back(target.bot);
    if (!target.undoes.empty() && std::find(group->undoes.begin(), group->undoes.end(),
                                            target.undoes) == group->undoes.end()) {
      group->undoes.push_back(target.undoes);
    }
  }
  for (auto& group : groups) std::sort(group.bots.begin(), group.bots.end());
  std::stable_sort(groups.begin(), groups.end(), [](const DigestGroup& a, const DigestGroup& b) {
    if (a.bots.size() != b.bots.size()) return a.bots.size() > b.bots.size();
    return a.image < b.image;
  });
  return groups;
}

}  // namespace drover::core
