#include "core/halt_threshold.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/input_error.h"

namespace drover::core {

HaltThreshold HaltThreshold::over_fraction(double fraction) {
  if (!(fraction >= 0.0 && fraction <= 1.0)) {
    throw InputError("error halt", fmt::format("{} is not a fraction between 0 and 1", fraction),
                     "write the threshold as a percentage from 0 to 100, e.g. 10");
  }
  return HaltThreshold(fraction);
}

std::size_t HaltThreshold::tolerated_failures(std::size_t total) const {
  if (!fraction_) {
    return std::numeric_limits<std::size_t>::max();
  }
  // 0.1 × 30 is 3.0000000000000004 and 0.29 × 100 is 28.999999999999996 in binary floating
  // point; the small epsilon makes a product that is an integer in decimal count as that
  // integer, so "exactly at the threshold" never halts by rounding accident.
  const double product = *fraction_ * static_cast<double>(total);
  return static_cast<std::size_t>(std::floor(product + 1e-9));
}

bool HaltThreshold::halts(std::size_t failed, std::size_t total) const {
  return fraction_ && failed > tolerated_failures(total);
}

}  // namespace drover::core
