#pragma once
// Where `drover rollback` puts each bot, decided from the fleet's journals. Pure: journals in,
// a RollbackSpec out.
//
// The rule, per selected bot. Journals are taken newest first (by their latest "seq", then
// their start time, then id), looking only at those whose plan selected the bot:
//   - a deploy that changed the bot (its agent swapped it): the bot goes back to the repo
//     digest that deploy recorded as what it ran before (`from`), whatever other bots do, so a
//     fleet that was on two versions returns to both. Without a digest (the bot was created
//     from the template, its image never came from a registry, or the journal predates `from`)
//     the bot is skipped and named: drover never guesses;
//   - a deploy that did not change it (unchanged, rolled back, failed, its host unreachable, or
//     never started in a deploy that ended): left alone. The latest deploy is what is undone;
//     older ones are not reached through it;
//   - a deploy that may or may not have changed it (its host timed out or answered nothing
//     usable, or drover stopped before recording the host): skipped and named;
//   - a rollback that changed the bot: left alone ("already rolled back by …"). A second
//     rollback does not undo the first, so rollbacks never flip-flop; going further back is
//     explicit, with --to;
//   - a rollback that did not change it (failed, rolled back by the agent, never reached it):
//     passed over, so running the rollback again retries exactly what is left;
//   - a rollback that may have changed it: skipped and named;
//   - no journal selected the bot: left alone ("no deploy recorded").
// `rollback --to D` instead puts each selected bot that D selected on what D installed on it
// (D's pinned image; a rollback's own target for the bot) and leaves the others alone.
#include <string>
#include <vector>

#include "core/deploy_plan.h"
#include "core/journal_replay.h"
#include "core/rollback_spec.h"
#include "core/speed_settings.h"

namespace drover::core {

/// `bots`: the selected bots; `history`: every readable journal of the fleet, in any order.
RollbackSpec choose_rollback(const std::vector<BotId>& bots,
                             const std::vector<JournalReplay>& history);

/// `rollback --to`: `to` is the journal of the deploy (or rollback) to go back to.
RollbackSpec choose_rollback_to(const std::vector<BotId>& bots, const JournalReplay& to);

/// `history` newest first, by the rule's order.
std::vector<const JournalReplay*> newest_first(const std::vector<JournalReplay>& history);

/// The rollback's plan: the spec's targets only (on their hosts, in fleet order) at `speed`.
/// Throws InputError when the speed is not allowed for the target, std::invalid_argument when
/// the spec has no target or names a bot the target does not select.
DeployPlan make_rollback_plan(const Fleet& fleet, const Target& target, SpeedName speed,
                              const SpeedTable& speeds, RollbackSpec spec, std::string deploy_id,
                              std::string created_at);

/// The first 8 characters of a deploy id, as rollback reasons name deploys.
std::string short_deploy_id(const std::string& deploy_id);

}  // namespace drover::core
