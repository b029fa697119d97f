#include "agent/landing_wait.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace drover::agent {
namespace {

using Action = InFlightRequest::Action;

bool has_landed(docker::ContainerRuntime& engine, const InFlightRequest& request) {
  const auto container = engine.inspect_container(request.container);
  switch (request.action) {
    case Action::create:
      return container.has_value();
    case Action::start:
      return !container || container->state.status != "created";
    case Action::stop:
      return !container || !container->state.running;
    case Action::rename:
      return !container || container->name == request.new_name;
    case Action::remove:
      return !container;
  }
  return true;
}

struct Pending {
  InFlightRequest request;
  TimePoint give_up;
};

std::string list(const std::vector<Pending>& pending) {
  std::string text;
  for (const auto& p : pending) {
    text += (text.empty() ? "" : ", ") + describe(p.request);
  }
  return text;
}

}  // namespace

void wait_for_landing(AgentContext& ctx, const UnansweredRequests& left) {
  const auto began = ctx.clock.now();
  const auto wall = ctx.clock.wall_now();
  std::vector<Pending> pending;
  Duration longest{0};
  for (const auto& request : left.requests) {
    // The calendar time is the other agent's; `longest` bounds it should the clock have jumped.
    const auto until =
        std::min(std::chrono::duration_cast<Duration>(request.land_by - wall), request.longest);
    if (until <= Duration(0)) {
      continue;
    }
    pending.push_back({request, began + until});
    longest = std::max(longest, until);
  }
  if (pending.empty()) {
    return;
  }
  ctx.log.line(fmt::format(
      "{} ended before the engine answered {}; waiting up to {} ms for the engine to carry "
      "{} out before reading any bot",
      left.holder, list(pending), longest.count(), pending.size() == 1 ? "it" : "them"));
  std::vector<Pending> gave_up;
  while (true) {
    const auto now = ctx.clock.now();
    std::erase_if(pending, [&](const Pending& p) {
      if (has_landed(ctx.runtime, p.request)) {
        return true;
      }
      if (now < p.give_up) {
        return false;
      }
      gave_up.push_back(p);
      return true;
    });
    if (pending.empty()) {
      break;
    }
    ctx.clock.sleep_for(kLandingPollInterval);
  }
  const auto waited = ctx.clock.now() - began;
  if (gave_up.empty()) {
    ctx.log.line(fmt::format("the engine carried {} out ({} ms)",
                             left.requests.size() == 1 ? "it" : "them", waited.count()));
  } else {
    ctx.log.line(fmt::format(
        "no effect of {} after {} ms: it did not reach the engine or the engine refused it; "
        "going on",
        list(gave_up), waited.count()));
  }
}

}  // namespace drover::agent
