#include "util/bounded_process_runner.h"

#include <algorithm>
#include <stdexcept>

namespace drover {

std::size_t programs_within(std::uint64_t descriptor_limit) {
  if (descriptor_limit <= kReservedDescriptors + kDescriptorsPerProgram) {
    return 1;
  }
  const auto fit = (descriptor_limit - kReservedDescriptors) / kDescriptorsPerProgram;
  return static_cast<std::size_t>(std::min<std::uint64_t>(fit, kMaxProgramsAtOnce));
}

BoundedProcessRunner::BoundedProcessRunner(ProcessRunner& inner, std::size_t slots)
    : inner_(inner), slots_(slots) {
  if (slots_ == 0) {
    throw std::invalid_argument("a process runner needs at least one slot");
  }
}

ProcessResult BoundedProcessRunner::run(const std::vector<std::string>& argv,
                                        const ProcessOptions& options) {
  {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return running_ < slots_; });
    ++running_;
    peak_ = std::max(peak_, running_);
  }
  struct Release {
    BoundedProcessRunner& self;
    ~Release() {
      {
        std::lock_guard lock(self.mutex_);
        --self.running_;
      }
      self.freed_.notify_one();
    }
  } release{*this};
  return inner_.run(argv, options);
}

std::size_t BoundedProcessRunner::peak() const {
  std::lock_guard lock(mutex_);
  return peak_;
}

}  // namespace drover
