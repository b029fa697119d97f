#pragma once
// Many agent calls in flight, followed from the caller's one thread: the shape of a transport
// that reaches its hosts through a service (ssm), where drover only sends commands and polls.
// The rollout driver (cli/fleet/rollout_driver.cc) starts each wave of hosts with one start()
// and collects them as they end, so a 10,000-host deploy holds no thread per host; the fleet
// checks go through run_together().
//
//   start     the calls of hosts that start together; the transport may send them as one
//             command (ssm: up to 50 instances each). A call that cannot start (the host cannot
//             be reached, the service refused) is not lost: it is collected like any other.
//   collect   waits at most `wait` (on the transport's clock) and returns the calls that ended
//             meanwhile, each once, with the result run_agent would have given.
//   interrupt the transport's own interrupt flag: calls that have not started on their host are
//             withdrawn (and collected as such), calls that run are left to finish.
// Not thread-safe: one thread starts and collects.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/transport.h"
#include "util/clock.h"

namespace drover::core {

/// A call of an AgentCallGroup that ended.
struct FinishedCall {
  HostName host;
  AgentResult result;
  /// The operator's interrupt withdrew the call before it reached the host: nothing ran there
  /// (the result says so too). The rollout counts such a host as not started.
  bool withdrawn = false;
};

class AgentCallGroup {
 public:
  virtual ~AgentCallGroup() = default;
  /// Starts `calls[i]` on `hosts[i]` (same sizes; no host already in flight in this group).
  virtual void start(const std::vector<Host>& hosts, const std::vector<AgentCall>& calls) = 0;
  /// The calls that ended within `wait`, possibly none.
  virtual std::vector<FinishedCall> collect(Duration wait) = 0;
  /// Calls started and not collected yet.
  virtual std::size_t in_flight() const = 0;
};

/// `calls[i]` on `hosts[i]` through `group`, all started at once, waited for to the end;
/// results in the hosts' order. Throws std::invalid_argument when a host is named twice.
std::vector<AgentResult> run_together(AgentCallGroup& group, const std::vector<Host>& hosts,
                                      const std::vector<AgentCall>& calls);
/// The same, handing each result to `take(index in hosts, result)` as it comes, on this
/// thread, instead of keeping them all (a 10,000-host check need not hold 10,000 reports).
void run_together(AgentCallGroup& group, const std::vector<Host>& hosts,
                  const std::vector<AgentCall>& calls,
                  const std::function<void(std::size_t, AgentResult&&)>& take);

}  // namespace drover::core
