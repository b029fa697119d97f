// The rollback rule (core/rollback_choice.h), case by case, on journals built in memory: where
// each bot goes back to, which bots are left alone and which are skipped by name, how a
// rollback's own journal counts for the next one, and --to.
#include <gtest/gtest.h>

#include "core/input_error.h"
#include "core/plan_box.h"
#include "core/rollback_choice.h"
#include "core_test_fleets.h"

namespace drover::core {
namespace {

std::string digest(char c) {
  return "reg.test/bot@sha256:" + std::string(64, c);
}

// Ids whose first 8 characters tell them apart in reasons.
const std::string kD1 = "11111111-0000-4000-8000-000000000000";
const std::string kD2 = "22222222-0000-4000-8000-000000000000";
const std::string kR1 = "33333333-0000-4000-8000-000000000000";

BotRecord swapped(BotId bot, char from, char to) {
  return {bot, BotSwapOutcome::swapped, PreviousImage{"reg.test/bot:old", "sha256:x", digest(from)},
          digest(to)};
}

BotRecord stayed(BotId bot, BotSwapOutcome outcome, char on) {
  return {bot, outcome, PreviousImage{"reg.test/bot:old", "sha256:x", digest(on)}, digest(on)};
}

HostRecord host(const std::string& name, std::vector<BotRecord> bots) {
  const bool ok = std::all_of(bots.begin(), bots.end(), [](const BotRecord& b) {
    return b.outcome == BotSwapOutcome::swapped || b.outcome == BotSwapOutcome::unchanged;
  });
  return {name, ok ? HostOutcome::success() : HostOutcome::failure(FailureKind::bot_failed, "x"),
          Duration(1000), std::move(bots)};
}

struct JournalSpec {
  std::string id;
  std::int64_t sequence = 1;
  std::vector<HostSelection> hosts;
  std::vector<HostRecord> records;
  bool ended = true;
  std::optional<RollbackSpec> rollback{};
  char image = 'b';
};

JournalReplay journal(JournalSpec spec) {
  JournalReplay replay;
  replay.plan.deploy_id = spec.id;
  replay.plan.fleet = "unit";
  replay.plan.created_at = "2026-06-12T10:00:00Z";
  replay.plan.selection = {Target::all(), spec.hosts};
  if (spec.rollback) {
    replay.plan.rollback = spec.rollback;
  } else {
    replay.plan.image = "reg.test/bot:v";
    replay.plan.pinned_image = digest(spec.image);
  }
  replay.hosts = std::move(spec.records);
  replay.last_sequence = spec.sequence;
  if (spec.ended) replay.result = JournalResult{};
  return replay;
}

const std::vector<HostSelection> kTwoHosts = {{"h1", std::nullopt, {1, 2}},
                                              {"h2", std::nullopt, {3, 4}}};

std::vector<BotId> targets_of(const RollbackSpec& spec) {
  std::vector<BotId> bots;
  for (const auto& target : spec.targets) bots.push_back(target.bot);
  return bots;
}

TEST(CoreRollbackChoice, EachBotGoesBackToWhatItRanBeforeEvenWhenTheFleetWasOnTwoVersions) {
  const auto d1 = journal({kD1,
                           1,
                           kTwoHosts,
                           {host("h1", {swapped(1, 'a', 'c'), swapped(2, 'b', 'c')}),
                            host("h2", {swapped(3, 'a', 'c'), swapped(4, 'a', 'c')})}});
  const auto spec = choose_rollback({1, 2, 3, 4}, {d1});
  ASSERT_EQ(spec.targets.size(), 4u);
  EXPECT_EQ(spec.targets[0], (RollbackTarget{1, digest('a'), kD1}));
  EXPECT_EQ(spec.targets[1], (RollbackTarget{2, digest('b'), kD1}));
  EXPECT_TRUE(spec.skipped.empty());
  EXPECT_TRUE(spec.left_alone.empty());
  const auto groups = digest_groups(spec);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].image, digest('a')) << "the biggest group first";
  EXPECT_EQ(groups[0].bots, (std::vector<BotId>{1, 3, 4}));
  EXPECT_EQ(groups[0].undoes, std::vector<std::string>{kD1});
  EXPECT_EQ(groups[1].bots, std::vector<BotId>{2});
}

TEST(CoreRollbackChoice, AHaltedDeployReturnsTheBotsItChangedAndLeavesTheRest) {
  // h1 swapped; h2's agent rolled bot 3 back and swapped bot 4; h3 never started (halted).
  auto hosts = kTwoHosts;
  hosts.push_back({"h3", std::nullopt, {5, 6}});
  const auto d1 =
      journal({kD1,
               1,
               hosts,
               {host("h1", {swapped(1, 'a', 'c'), swapped(2, 'a', 'c')}),
                host("h2", {stayed(3, BotSwapOutcome::rolled_back, 'a'), swapped(4, 'a', 'c')})}});
  const auto spec = choose_rollback({1, 2, 3, 4, 5, 6}, {d1});
  EXPECT_EQ(targets_of(spec), (std::vector<BotId>{1, 2, 4}));
  ASSERT_EQ(spec.left_alone.size(), 1u);
  EXPECT_EQ(spec.left_alone[0].reason, "their latest deploy 11111111 did not change them");
  EXPECT_EQ(spec.left_alone[0].bots, (std::vector<BotId>{3, 5, 6}));
  EXPECT_TRUE(spec.skipped.empty());
}

TEST(CoreRollbackChoice, ABotWhoseSwapFailedIsLeftAloneWithAWordThatItMayBeDown) {
  // h1: bot 1 swapped; bot 2's swap failed (the agent could not restore it). h2 halted.
  const auto d1 =
      journal({kD1,
               1,
               kTwoHosts,
               {host("h1", {swapped(1, 'a', 'c'), stayed(2, BotSwapOutcome::failed, 'a')})}});
  const auto spec = choose_rollback({1, 2, 3, 4}, {d1});
  EXPECT_EQ(targets_of(spec), std::vector<BotId>{1});
  ASSERT_EQ(spec.left_alone.size(), 2u);
  EXPECT_EQ(spec.left_alone[0].reason,
            "their latest deploy 11111111 failed to swap them: they may be down (see drover "
            "verify)");
  EXPECT_EQ(spec.left_alone[0].bots, std::vector<BotId>{2});
  EXPECT_EQ(spec.left_alone[1].reason, "their latest deploy 11111111 did not change them");
  EXPECT_EQ(spec.left_alone[1].bots, (std::vector<BotId>{3, 4}));
}

TEST(CoreRollbackChoice, OnlyTheLatestDeployOfEachBotCountsAndBotsNoDeployTouchedAreLeftAlone) {
  const auto d1 = journal({kD1,
                           1,
                           {{"h1", std::nullopt, {1, 2}}},
                           {host("h1", {swapped(1, 'a', 'b'), swapped(2, 'a', 'b')})}});
  // A one-bot deploy after it, and an identical redeploy that changed nothing on bot 2.
  const auto d2 =
      journal({kD2, 5, {{"h1", std::nullopt, {1}}}, {host("h1", {swapped(1, 'b', 'c')})}});
  auto spec = choose_rollback({1, 3}, {d1, d2});
  ASSERT_EQ(spec.targets.size(), 1u);
  EXPECT_EQ(spec.targets[0], (RollbackTarget{1, digest('b'), kD2})) << "not D1's v1";
  ASSERT_EQ(spec.left_alone.size(), 1u);
  EXPECT_EQ(spec.left_alone[0], (LeftAlone{"no deploy recorded", {3}}));

  // The order is the journals' sequence, not the order they are listed in, nor their start.
  auto d2_older = d2;
  d2_older.last_sequence = 0;
  spec = choose_rollback({1}, {d2_older, d1});
  ASSERT_EQ(spec.targets.size(), 1u);
  EXPECT_EQ(spec.targets[0].undoes, kD1);
}

TEST(CoreRollbackChoice, BotsWithoutARecordedDigestAreNamedAndSkippedNeverGuessed) {
  BotRecord created{1, BotSwapOutcome::swapped, std::nullopt, digest('c')};
  BotRecord local{2, BotSwapOutcome::swapped, PreviousImage{"bot:dev", "sha256:l", ""},
                  digest('c')};
  HostRecord timed_out{"h2", HostOutcome::failure(FailureKind::timed_out, "no answer"),
                       Duration(600000)};
  const auto d1 = journal({kD1, 1, kTwoHosts, {host("h1", {created, local}), timed_out}});
  auto spec = choose_rollback({1, 2, 3, 4}, {d1});
  EXPECT_TRUE(spec.targets.empty());
  ASSERT_EQ(spec.skipped.size(), 4u);
  EXPECT_EQ(spec.skipped[0].bot, 1);
  EXPECT_NE(spec.skipped[0].reason.find("created it"), std::string::npos) << spec.skipped[0].reason;
  EXPECT_NE(spec.skipped[1].reason.find("bot:dev, which has no registry digest"), std::string::npos)
      << spec.skipped[1].reason;
  EXPECT_NE(spec.skipped[2].reason.find("did not hear back from h2 (timed_out)"), std::string::npos)
      << spec.skipped[2].reason;

  // An unreachable host ran nothing: its bots were not changed.
  HostRecord unreachable{"h2", HostOutcome::failure(FailureKind::unreachable, "ssh: refused"),
                         Duration(1)};
  spec = choose_rollback({3}, {journal({kD1, 1, kTwoHosts, {unreachable}})});
  EXPECT_TRUE(spec.skipped.empty());
  ASSERT_EQ(spec.left_alone.size(), 1u);

  // A deploy drover stopped in the middle (no result): a host without a record is unknown.
  spec = choose_rollback({3}, {journal({kD1, 1, kTwoHosts, {}, false})});
  ASSERT_EQ(spec.skipped.size(), 1u);
  EXPECT_NE(spec.skipped[0].reason.find("drover stopped"), std::string::npos);

  // A journal from before drover kept each bot: success, but no word on what ran before.
  HostRecord old_style{"h2", HostOutcome::success(), Duration(1)};
  spec = choose_rollback({3}, {journal({kD1, 1, kTwoHosts, {old_style}})});
  ASSERT_EQ(spec.skipped.size(), 1u);
  EXPECT_NE(spec.skipped[0].reason.find("before drover kept"), std::string::npos);
}

TEST(CoreRollbackChoice, ASecondRollbackNeverUndoesTheFirstButRetriesWhatItLeft) {
  const auto d1 = journal({kD1,
                           1,
                           kTwoHosts,
                           {host("h1", {swapped(1, 'a', 'c'), swapped(2, 'a', 'c')}),
                            host("h2", {swapped(3, 'a', 'c'), swapped(4, 'a', 'c')})}});
  const auto first = choose_rollback({1, 2, 3, 4}, {d1});
  // The first rollback swapped h1's bots back, but h2's agent rolled its swap back.
  const auto r1 = journal({kR1,
                           9,
                           kTwoHosts,
                           {host("h1", {swapped(1, 'c', 'a'), swapped(2, 'c', 'a')}),
                            host("h2", {stayed(3, BotSwapOutcome::rolled_back, 'c'),
                                        stayed(4, BotSwapOutcome::rolled_back, 'c')})},
                           true,
                           first});
  const auto again = choose_rollback({1, 2, 3, 4}, {d1, r1});
  EXPECT_EQ(targets_of(again), (std::vector<BotId>{3, 4}))
      << "only what is left, to the same place";
  EXPECT_EQ(again.targets[0], (RollbackTarget{3, digest('a'), kD1}));
  ASSERT_EQ(again.left_alone.size(), 1u);
  EXPECT_EQ(again.left_alone[0].bots, (std::vector<BotId>{1, 2}));
  EXPECT_TRUE(again.left_alone[0].reason.starts_with("already rolled back by 33333333"))
      << again.left_alone[0].reason;
}

TEST(CoreRollbackChoice, ToADeployGoesToWhatItInstalledAndLeavesBotsItDidNotSelect) {
  const auto d1 = journal({kD1, 1, {{"h1", std::nullopt, {1, 2}}}, {}, true, std::nullopt, 'e'});
  auto spec = choose_rollback_to({1, 2, 3}, d1);
  EXPECT_EQ(spec.to, kD1);
  ASSERT_EQ(spec.targets.size(), 2u);
  EXPECT_EQ(spec.targets[0], (RollbackTarget{1, digest('e'), ""}));
  ASSERT_EQ(spec.left_alone.size(), 1u);
  EXPECT_EQ(spec.left_alone[0], (LeftAlone{"not in deploy 11111111", {3}}));

  // To a rollback: each bot to its own target there.
  RollbackSpec earlier;
  earlier.targets = {{1, digest('a'), kD1}, {2, digest('b'), kD1}};
  const auto r1 = journal({kR1, 3, {{"h1", std::nullopt, {1, 2}}}, {}, true, earlier});
  spec = choose_rollback_to({1, 2}, r1);
  ASSERT_EQ(spec.targets.size(), 2u);
  EXPECT_EQ(spec.targets[1].image, digest('b'));
}

TEST(CoreRollbackChoice, ThePlanHoldsOnlyTheBotsGoingBackAndItsBoxListsEveryDigestAndSkip) {
  const auto fleet = testfleets::small_fleet();
  RollbackSpec spec;
  spec.targets = {{539, digest('a'), kD1}, {540, digest('a'), kD1}, {542, digest('b'), kD1}};
  spec.skipped = {{541, "deploy 11111111 created it (it had no container before): nothing"}};
  spec.left_alone = {{"their latest deploy 11111111 did not change them", {543, 544}}};
  const auto plan = make_rollback_plan(fleet, Target::all(), SpeedName::routine, SpeedTable{}, spec,
                                       kR1, "2026-06-12T10:00:00Z");
  ASSERT_TRUE(plan.is_rollback());
  EXPECT_EQ(plan.selection.bots(), (std::vector<BotId>{539, 540, 542}));
  EXPECT_EQ(plan.selection.hosts.size(), 2u);
  EXPECT_EQ(plan.image_for(542), digest('b'));
  EXPECT_EQ(expected_images(plan).for_bot(539), digest('a'));
  EXPECT_THROW(make_rollback_plan(fleet, Target::staging(), SpeedName::immediate, SpeedTable{},
                                  spec, kR1, ""),
               InputError);

  const auto box = render_plan_box(plan);
  for (const auto& line :
       {std::string("=============== rollback plan ==============="),
        "Back to       " + digest('a') + "  2 bots (undoing deploy 11111111)",
        "              " + digest('b') + "  1 bot (undoing deploy 11111111)",
        std::string("Left alone    2 bots: their latest deploy 11111111 did not change them"),
        std::string("Skipped       bot541: deploy 11111111 created it")}) {
    EXPECT_NE(box.find(line), std::string::npos) << line << "\n" << box;
  }
  EXPECT_EQ(box.find("Digest"), std::string::npos) << box;
}

}  // namespace
}  // namespace drover::core
