#include "cli/view/rollout_view.h"

#include "cli/view/json_view.h"
#include "cli/view/terminal_view.h"

namespace drover::cli {

OutputMode output_mode(bool json, Terminal& terminal) {
  if (json) return OutputMode::json;
  return terminal.interactive() ? OutputMode::terminal : OutputMode::plain;
}

std::unique_ptr<RolloutView> make_view(OutputMode mode, Terminal& terminal, Clock& clock,
                                       bool colour) {
  switch (mode) {
    case OutputMode::terminal:
      return make_terminal_view(terminal, clock, true, colour);
    case OutputMode::plain:
      return make_terminal_view(terminal, clock, false, colour);
    case OutputMode::json:
      return make_json_view(terminal, clock);
  }
  return make_terminal_view(terminal, clock, false, colour);
}

}  // namespace drover::cli
