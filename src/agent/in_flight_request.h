#pragma once
// One engine request that changes a bot's containers, from when the agent sends it until its
// answer is back, as the host lock's record keeps it (agent/host_lock.h): what it asked, of
// which container, and until when the engine may still carry it out should the agent die
// before the answer.
#include <optional>
#include <string>

#include "util/clock.h"

namespace drover::agent {

struct InFlightRequest {
  enum class Action { create, start, stop, rename, remove };
  Action action = Action::create;
  std::string container;  // the name for create, else the id (or name) it was sent for
  std::string new_name;   // rename only
  WallTime land_by;       // it has landed (or failed) by then
  Duration longest{0};    // the most it may take: a bound should the calendar clock jump

  bool operator==(const InFlightRequest&) const = default;
};

/// "in-flight <land-by ms since the Unix epoch> <longest ms> <action> <container> [<new name>]"
std::string to_record_line(const InFlightRequest& request);
/// The request a record line names; nullopt for anything else (a torn or foreign line).
std::optional<InFlightRequest> from_record_line(const std::string& line);
/// "create bot7301-next", "rename 5f3c… to bot7301-prev": for log lines.
std::string describe(const InFlightRequest& request);

}  // namespace drover::agent
