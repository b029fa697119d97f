#pragma once
// What this fleet's deploy journals say about its swaps, by speed: how long each host took
// (the host record's `took`, from its start to its finish on the scheduler's clock) and whether
// it failed, and when each swapped bot's new container started (its login) after its host's
// start. The simulator (fleet_simulator.h) draws per-host swap times, the failure rate and
// login times from it; the plan box's "Est. duration" comes from that simulation.
//
// Every host record counts, a resumed deploy's too (each is one real swap attempt); records
// with no duration (journals written before drover kept `took`) are left out. Pure: the CLI
// reads the journals and hands their replays in.
#include <cstddef>
#include <map>
#include <vector>

#include "core/fleet.h"
#include "core/journal_replay.h"
#include "core/speed.h"
#include "util/clock.h"

namespace drover::core {

/// One speed's recorded swaps.
struct SpeedHistory {
  std::size_t deploys = 0;     // journals of this speed with at least one timed host record
  std::vector<Duration> took;  // every timed host record, in journal order
  std::size_t failed = 0;      // of those, how many failed
  std::map<HostName, std::vector<Duration>> took_by_host;
  /// Every swapped bot's login: from its host's start until its new container started (the
  /// agent's pull + create + stop + start), from bots whose steps were timed.
  std::vector<Duration> login_after;

  std::size_t host_records() const { return took.size(); }
  /// failed / host records; 0 without records.
  double failure_rate() const;
};

struct FleetHistory {
  std::map<SpeedName, SpeedHistory> by_speed;

  /// Adds one journal's host records under its plan's speed.
  void add(const JournalReplay& journal);
  /// The speed's history, or null when no journal of that speed recorded a timed host.
  const SpeedHistory* of(SpeedName speed) const;
};

}  // namespace drover::core
