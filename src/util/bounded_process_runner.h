#pragma once
// At most N programs at once, whoever calls. A deploy at `immediate` over 1,000 hosts starts
// 1,000 agents (or ssh sessions) at once, and each holds up to six of drover's file
// descriptors while it runs (its three pipes, their ends during the spawn, its pidfd). Under
// the common `ulimit -n 1024` the 170th would fail to start and its host would be reported
// failed although nothing was wrong with it. In front of the real runner, the rest wait for a
// free slot instead, and drover keeps a reserve for its journal, lock, sockets and terminal.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include "util/subprocess.h"

namespace drover {

/// Descriptors drover keeps for itself whatever runs (journal, lock, HTTP, terminal, ...).
inline constexpr std::uint64_t kReservedDescriptors = 64;
/// The most descriptors one running program holds in drover.
inline constexpr std::uint64_t kDescriptorsPerProgram = 6;
/// Never more programs at once than this, however high the limit.
inline constexpr std::size_t kMaxProgramsAtOnce = 4096;

/// How many programs may run at once within `descriptor_limit` (RLIMIT_NOFILE's soft limit):
/// (limit - reserve) / 6, at least 1, at most kMaxProgramsAtOnce.
std::size_t programs_within(std::uint64_t descriptor_limit);

class BoundedProcessRunner final : public ProcessRunner {
 public:
  /// `inner` must outlive this runner. `slots` >= 1.
  BoundedProcessRunner(ProcessRunner& inner, std::size_t slots);

  /// Waits for a free slot, then runs `argv` on the inner runner. The call's timeout counts
  /// from when the program starts, not from the wait.
  ProcessResult run(const std::vector<std::string>& argv,
                    const ProcessOptions& options = {}) override;

  std::size_t slots() const { return slots_; }
  /// The most programs that ran at once so far (for tests and benchmarks).
  std::size_t peak() const;

 private:
  ProcessRunner& inner_;
  const std::size_t slots_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t running_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace drover
