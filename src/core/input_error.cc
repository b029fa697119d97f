#include "core/input_error.h"

#include <utility>

namespace drover::core {

namespace {

std::string compose(const std::string& where, const std::string& what, const std::string& fix) {
  std::string message = where.empty() ? what : where + ": " + what;
  return message + " (" + fix + ")";
}

}  // namespace

InputError::InputError(std::string where, std::string what, std::string fix)
    : std::runtime_error(compose(where, what, fix)),
      where_(std::move(where)),
      problem_(std::move(what)),
      fix_(std::move(fix)) {}

}  // namespace drover::core
