#pragma once
// What a rollback plan carries besides a deploy's plan: where each bot goes back to, and every
// selected bot it does not move, with the reason. Made by choose_rollback (rollback_choice.h)
// from the fleet's journals, recorded in the rollback's own journal (its plan record), shown
// in the plan box, and read back by the next rollback (which must not undo this one).
#include <string>
#include <vector>

#include "core/bot_id.h"

namespace drover::core {

/// One bot going back: to `image` (repo@sha256:…, pulled again by digest), undoing the deploy
/// `undoes` (empty for `rollback --to`, which goes to what that deploy installed).
struct RollbackTarget {
  BotId bot = 0;
  std::string image;
  std::string undoes;

  bool operator==(const RollbackTarget&) const = default;
};

/// A bot that should go back but cannot be: nothing recorded says where to, and drover never
/// guesses. Named in the plan box.
struct SkippedBot {
  BotId bot = 0;
  std::string reason;

  bool operator==(const SkippedBot&) const = default;
};

/// Selected bots with nothing to undo, grouped by why ("their latest deploy 6ca32b16 did not
/// change them", "already rolled back by 7d41c2e0", "no deploy recorded").
struct LeftAlone {
  std::string reason;
  std::vector<BotId> bots;  // ascending

  bool operator==(const LeftAlone&) const = default;
};

struct RollbackSpec {
  std::string to;  // the deploy id of `rollback --to`; empty for a plain rollback
  std::vector<RollbackTarget> targets;  // ascending by bot
  std::vector<SkippedBot> skipped;      // ascending by bot
  std::vector<LeftAlone> left_alone;

  /// The image `bot` goes back to; empty when it is not a target.
  std::string image_for(BotId bot) const;
  bool operator==(const RollbackSpec&) const = default;
};

/// The bots going back to one digest, and the deploys that undoes (for the plan box, the
/// notifications and `history --json`).
struct DigestGroup {
  std::string image;
  std::vector<BotId> bots;          // ascending
  std::vector<std::string> undoes;  // deploy ids, each once, in the order first seen
};

/// The targets grouped by image, the biggest group first (then by image).
std::vector<DigestGroup> digest_groups(const RollbackSpec& spec);

}  // namespace drover::core
