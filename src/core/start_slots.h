#pragma once
// Storm control: when each host of a rollout may start. Instead of every host waiting its own
// independent random 0..jitter (which bunches starts by chance: for 534 bots on 178 hosts over
// 60 s, a peak of ~27 bot logins in one second), host i of n in a random order gets the slot
//   offset_i = i × spread / n
// so starts are evenly spaced over the spread window (9 logins in any second for that fleet).
// An optional login rate (bots per second) caps the starts further: a host's slot moves later
// until the bots started in the second up to and including it, its own included, stay within
// the cap. A host with more bots than the cap cannot meet it and starts alone in its second.
//
// Pure: the random order comes in through util's Random interface (the CLI passes its real
// one, tests a seeded one); the offsets are from the rollout's start, on whatever clock drives
// the scheduler (core/rollout_scheduler.h holds each host to its slot).
#include <cstddef>
#include <optional>
#include <vector>

#include "core/target.h"
#include "util/clock.h"
#include "util/random.h"

namespace drover::core {

struct StartSlot {
  HostName host;
  std::size_t bots = 0;
  Duration offset{0};  // not before this long after the rollout starts

  bool operator==(const StartSlot&) const = default;
};

/// The slot offsets for hosts with `bots[i]` bots each, in the order given: evenly over
/// `spread`, then held back by `login_rate` (bots per second, at least 1) when set.
/// Non-decreasing. A spread of 0 and no rate: every offset is 0.
std::vector<Duration> start_offsets(const std::vector<std::size_t>& bots, Duration spread,
                                    std::optional<std::size_t> login_rate);

/// The hosts in a random order (drawn from `random`) with their slots, earliest first.
std::vector<StartSlot> plan_start_slots(const std::vector<HostSelection>& hosts, Duration spread,
                                        std::optional<std::size_t> login_rate, Random& random);

/// One start of a schedule: when, and how many bots log in then.
struct BotStart {
  Duration at{0};
  std::size_t bots = 0;
};

/// The most bots started within any window of length `window` (default one second, a
/// half-open [t, t + window)): the storm's peak. The simulator reuses it on simulated runs.
std::size_t peak_bots_per_window(std::vector<BotStart> starts,
                                 Duration window = std::chrono::seconds(1));

}  // namespace drover::core
