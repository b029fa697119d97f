#include "core/rollback_choice.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include "core/input_error.h"
#include "core/speed.h"

namespace drover::core {
namespace {

const HostSelection* host_selecting(const DeployPlan& plan, BotId bot) {
  for (const auto& host : plan.selection.hosts) {
    if (std::find(host.bots.begin(), host.bots.end(), bot) != host.bots.end()) return &host;
  }
  return nullptr;
}

std::string kind_of(const DeployPlan& plan) {
  return plan.is_rollback() ? "rollback" : "deploy";
}

// What one journal did to one bot it selected.
struct BotFacts {
  enum class Change { changed, not_changed, unknown } change = Change::not_changed;
  std::optional<PreviousImage> from;  // when changed: what it ran before
  std::string why_unknown;
  // not_changed because its swap failed: the agent could not do it, which can leave the bot
  // down (a container it could not restore), and a rollback does not touch or verify it.
  bool swap_failed = false;
};

BotFacts facts_of(const JournalReplay& journal, const HostSelection& host, BotId bot) {
  const auto name =
      fmt::format("{} {}", kind_of(journal.plan), short_deploy_id(journal.plan.deploy_id));
  std::optional<BotFacts> changed;
  std::string unknown;
  bool recorded = false;
  bool failed = false;
  for (const auto& record : journal.hosts) {
    if (record.host != host.name) continue;
    recorded = true;
    const auto mine = std::find_if(record.bots.begin(), record.bots.end(),
                                   [&](const BotRecord& b) { return b.bot == bot; });
    if (mine != record.bots.end()) {
      // The first swap in the journal is the one whose `from` is what ran before it.
      if (mine->outcome == BotSwapOutcome::swapped && !changed) {
        changed = BotFacts{BotFacts::Change::changed, mine->from, ""};
      }
      failed = failed || mine->outcome == BotSwapOutcome::failed;
    } else if (!record.bots.empty()) {
      unknown = fmt::format("{} has no word on it from {}'s agent", name, host.name);
    } else if (record.outcome.kind == FailureKind::unreachable) {
      // Nothing ran on the host.
    } else if (record.outcome.ok()) {
      unknown = fmt::format("{} was recorded before drover kept what each bot ran", name);
    } else {
      unknown = fmt::format("{} did not hear back from {} ({}), so it may have swapped it", name,
                            host.name, to_string(record.outcome.kind));
    }
  }
  if (changed) return *changed;
  if (!unknown.empty()) return {BotFacts::Change::unknown, std::nullopt, unknown};
  if (!recorded && !journal.ended()) {
    return {BotFacts::Change::unknown, std::nullopt,
            fmt::format("{} has no record of {}: drover stopped while it may have been swapping",
                        name, host.name)};
  }
  BotFacts facts;
  facts.swap_failed = failed;
  return facts;
}

// The repo digest a changed bot goes back to, or why there is none.
struct Restore {
  std::string digest;
  std::string problem;  // set when digest is empty
};

Restore digest_to_restore(const BotFacts& facts, const std::string& name) {
  if (!facts.from) {
    return {"",
            fmt::format("{} created it (it had no container before): nothing to go back to", name)};
  }
  const auto& from = *facts.from;
  const auto what = from.ref.empty() ? std::string("its old image") : from.ref;
  if (from.repo_digest.empty()) {
    return {"", fmt::format("{} replaced {}, which has no registry digest (not pulled from a "
                            "registry), so it cannot be pulled again",
                            name, what)};
  }
  try {
    if (!parse_image_reference(from.repo_digest).digest.empty()) return {from.repo_digest, ""};
  } catch (const InputError&) {
  }
  return {"", fmt::format("{} recorded '{}' as what it ran, which is not a digest reference", name,
                          from.repo_digest)};
}

// Left-alone bots grouped by reason, in the order the reasons first came up.
class LeftAloneGroups {
 public:
  void add(const std::string& reason, BotId bot) {
    auto found = std::find_if(groups_.begin(), groups_.end(),
                              [&](const LeftAlone& g) { return g.reason == reason; });
    if (found == groups_.end()) {
      groups_.push_back({reason, {bot}});
    } else {
      found->bots.push_back(bot);
    }
  }
  std::vector<LeftAlone> take() { return std::move(groups_); }

 private:
  std::vector<LeftAlone> groups_;
};

std::vector<BotId> ascending(std::vector<BotId> bots) {
  std::sort(bots.begin(), bots.end());
  bots.erase(std::unique(bots.begin(), bots.end()), bots.end());
  return bots;
}

}  // namespace

std::string short_deploy_id(const std::string& deploy_id) {
  return deploy_id.substr(0, 8);
}

std::vector<const JournalReplay*> newest_first(const std::vector<JournalReplay>& history) {
  std::vector<const JournalReplay*> order;
  for (const auto& journal : history) order.push_back(&journal);
  std::sort(order.begin(), order.end(), [](const JournalReplay* a, const JournalReplay* b) {
    if (a->last_sequence != b->last_sequence) return a->last_sequence > b->last_sequence;
    if (a->plan.created_at != b->plan.created_at) return a->plan.created_at > b->plan.created_at;
    return a->plan.deploy_id > b->plan.deploy_id;
  });
  return order;
}

RollbackSpec choose_rollback(const std::vector<BotId>& bots,
                             const std::vector<JournalReplay>& history) {
  const auto journals = newest_first(history);
  RollbackSpec spec;
  LeftAloneGroups left_alone;
  for (BotId bot : ascending(bots)) {
    bool decided = false;
    for (const auto* journal : journals) {
      const auto* host = host_selecting(journal->plan, bot);
      if (host == nullptr) continue;
      const auto facts = facts_of(*journal, *host, bot);
      const auto id = short_deploy_id(journal->plan.deploy_id);
      if (journal->plan.is_rollback()) {
        if (facts.change == BotFacts::Change::not_changed) continue;  // its undo is still due
        if (facts.change == BotFacts::Change::changed) {
          left_alone.add(fmt::format("already rolled back by {} (go further back with --to "
                                     "DEPLOY_ID)",
                                     id),
                         bot);
        } else {
          spec.skipped.push_back({bot, facts.why_unknown});
        }
        decided = true;
        break;
      }
      if (facts.change == BotFacts::Change::not_changed && facts.swap_failed) {
        left_alone.add(
            fmt::format("their latest deploy {} failed to swap them: they may be down (see "
                        "drover verify)",
                        id),
            bot);
      } else if (facts.change == BotFacts::Change::not_changed) {
        left_alone.add(fmt::format("their latest deploy {} did not change them", id), bot);
      } else if (facts.change == BotFacts::Change::unknown) {
        spec.skipped.push_back({bot, facts.why_unknown});
      } else {
        const auto restore = digest_to_restore(facts, "deploy " + id);
        if (!restore.digest.empty()) {
          spec.targets.push_back({bot, restore.digest, journal->plan.deploy_id});
        } else {
          spec.skipped.push_back({bot, restore.problem});
        }
      }
      decided = true;
      break;
    }
    if (!decided) left_alone.add("no deploy recorded", bot);
  }
  spec.left_alone = left_alone.take();
  return spec;
}

RollbackSpec choose_rollback_to(const std::vector<BotId>& bots, const JournalReplay& to) {
  RollbackSpec spec;
  spec.to = to.plan.deploy_id;
  LeftAloneGroups left_alone;
  const auto name = fmt::format("{} {}", kind_of(to.plan), short_deploy_id(to.plan.deploy_id));
  for (BotId bot : ascending(bots)) {
    if (host_selecting(to.plan, bot) == nullptr) {
      left_alone.add(fmt::format("not in {}", name), bot);
      continue;
    }
    const auto image = to.plan.image_for(bot);
    bool pinned = false;
    try {
      pinned = !parse_image_reference(image).digest.empty();
    } catch (const InputError&) {
    }
    if (pinned) {
      spec.targets.push_back({bot, image, ""});
    } else {
      spec.skipped.push_back(
          {bot, fmt::format("{} recorded no digest reference for it ('{}')", name, image)});
    }
  }
  spec.left_alone = left_alone.take();
  return spec;
}

DeployPlan make_rollback_plan(const Fleet& fleet, const Target& target, SpeedName speed,
                              const SpeedTable& speeds, RollbackSpec spec, std::string deploy_id,
                              std::string created_at) {
  check_speed_allowed(speed, target.kind);
  if (spec.targets.empty()) throw std::invalid_argument("rollback plan: no bot goes back");
  DeployPlan plan;
  plan.deploy_id = std::move(deploy_id);
  plan.fleet = fleet.name();
  plan.selection.target = target;
  std::size_t placed = 0;
  for (const auto& host : select_hosts(fleet, target).hosts) {
    HostSelection chosen{host.name, host.address, {}};
    for (BotId bot : host.bots) {
      if (!spec.image_for(bot).empty()) chosen.bots.push_back(bot);
    }
    placed += chosen.bots.size();
    if (!chosen.bots.empty()) plan.selection.hosts.push_back(std::move(chosen));
  }
  if (placed != spec.targets.size()) {
    throw std::invalid_argument("rollback plan: a target is not one of the selected bots");
  }
  plan.speed = speed;
  plan.settings = speeds[speed];
  plan.created_at = std::move(created_at);
  plan.rollback = std::move(spec);
  return plan;
}

}  // namespace drover::core
