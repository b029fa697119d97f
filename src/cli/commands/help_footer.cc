#include "cli/commands/help_footer.h"

namespace drover::cli {

// Keep the exit codes in step with core/exit_code.h (the help test checks every value).
const char* const kHelpFooter =
    "Examples:\n"
    "  drover deploy                     fully interactive: it prompts\n"
    "  drover deploy staging             the staging trio 898/899/900\n"
    "  drover deploy bot 539             one production bot\n"
    "  drover deploy all routine         whole fleet, safe pace (default)\n"
    "  drover deploy all fast            whole fleet, ~2x faster\n"
    "  drover deploy all immediate -y    whole fleet at once (emergencies only)\n"
    "  drover deploy all routine --dry-run   show the plan, deploy nothing\n"
    "  drover verify all                 which bots run the image and are logged in\n"
    "  drover simulate all routine       what that deploy would take here; touches nothing\n"
    "  drover history                    past deploys; `drover show ID` for one\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal error\n"
    "  2  usage or configuration error (nothing touched)\n"
    "  3  refused at confirmation (nothing touched)\n"
    "  4  halted by the error threshold, or interrupted\n"
    "  5  verification found stale or down bots\n"
    "  6  bots still not logged in after the straggler retry\n"
    "  7  another deploy holds the fleet's lock\n"
    "  8  a fleet check (baseline, drift, the deploy's drift preflight) found hosts needing "
    "attention\n"
    "  9  a journal, lock or state directory file could not be read or written (the message "
    "names it)\n";

}  // namespace drover::cli
