#pragma once
// One host's swap, as `drover-agent swap` runs it: repair leftovers, wait the jitter,
// check the engine and the disk, pull every image the bots need before anything is stopped,
// swap the host's bots in parallel (prune unused images while they settle, image_cleanup.h),
// remove the images the swap released, then read the bots' login state.
// Bots usually share one image; a rollback may send two bots of a host to different digests
// (bot_image_refs). A bot whose image cannot be pulled fails untouched; when no image can be
// pulled the whole host fails before anything is stopped.
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agent/bot_swap.h"
#include "agent/login_probe.h"
#include "agent/recover.h"

namespace drover::agent {

struct HostSwapOptions {
  std::vector<int> bot_ids;
  std::string image_ref;
  std::map<int, std::string> bot_image_refs;  // bots that go to another image than image_ref
  std::chrono::seconds stop_timeout{35};
  Duration settle{10000};
  Duration jitter{0};      // wait a random 0..jitter before starting (immediate speed)
  Duration login_wait{0};  // poll the login probe this long; 0 = one reading, no poll
  std::optional<nlohmann::json> container_template;
  std::int64_t disk_floor_bytes = 1LL << 30;
  bool parallel = true;  // swap the bots on threads (tests step them one by one)
};

struct BotLogin {
  int bot_id = 0;
  LoginReading reading;
};

struct HostSwapResult {
  std::string image_ref;
  std::optional<docker::ImageInfo> image;  // image_ref's, once its pull succeeded
  std::string error;                       // host-wide failure before any bot was touched
  Duration jitter_waited{0};
  Duration pull_time{0};  // every image's pull together
  /// The image cleanup after the last bot finished: waiting for the prune (when it outlasted
  /// the bots' settle windows) and removing the released images. What pruning added to the
  /// host's time.
  Duration prune_time{0};
  Duration prune_overlapped{0};  // the prune call itself, run while the bots settled
  Duration login_time{0};        // reading (or polling) the bots' login state
  std::vector<RecoverResult> recovered;
  std::vector<BotSwapResult> bots;
  std::vector<BotLogin> logins;
  docker::PruneResult prune;
  std::string prune_error;
  std::optional<std::int64_t> free_bytes_before;
  /// Every bot swapped or unchanged.
  bool ok() const;
};

HostSwapResult swap_host(AgentContext& ctx, LoginProbe& probe, const HostSwapOptions& options);

}  // namespace drover::agent
