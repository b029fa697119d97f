#pragma once
// The one error type of core/: something the operator typed or configured is wrong.
// It carries three parts so the CLI can print its single line
//   drover: error: <where>: <what> (<how to fix>)
// without parsing a message. Invariant: `what` and `fix` are never empty.
#include <stdexcept>
#include <string>

namespace drover::core {

class InputError : public std::runtime_error {
 public:
  /// `where`: what was being read ("image reference", "bot id", "drover.toml: hosts[3]").
  /// `what`: what is wrong with it. `fix`: how to make it right.
  InputError(std::string where, std::string what, std::string fix);

  const std::string& where() const { return where_; }
  const std::string& problem() const { return problem_; }
  const std::string& fix() const { return fix_; }

 private:
  std::string where_;
  std::string problem_;
  std::string fix_;
};

}  // namespace drover::core
