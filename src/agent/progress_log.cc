#include "agent/progress_log.h"

namespace drover::agent {

void ProgressLog::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_ << "drover-agent: " << text << '\n' << std::flush;
}

}  // namespace drover::agent
