#pragma once
// A small terminal emulator for what drover writes to a terminal: printable UTF-8 code points
// (one column each), "\r", "\n" (a pty's "\r\n" too), "\033[K" (erase to the end of the line)
// and SGR colour sequences ("\033[...m", no column). A character written past the last column
// wraps to a new line, as a real terminal does, and is counted: a status line that wraps
// leaves a stale copy behind on the next redraw. What the operator sees at the end is lines().
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace drover::testing {

class ScreenEmulator {
 public:
  explicit ScreenEmulator(std::size_t width) : width_(width), lines_(1) {}

  void feed(std::string_view bytes);

  /// The screen's lines, trailing spaces removed; the last one may be the open status line.
  std::vector<std::string> lines() const;
  /// How many times a line was wrapped because text went past the last column.
  std::size_t wraps() const { return wraps_; }
  /// Control sequences other than the ones above (each one as it was written).
  const std::vector<std::string>& unknown_sequences() const { return unknown_; }

 private:
  void put(const std::string& code_point);

  std::size_t width_;
  std::vector<std::vector<std::string>> lines_;  // code points per line
  std::size_t row_ = 0;
  std::size_t col_ = 0;
  std::size_t wraps_ = 0;
  std::vector<std::string> unknown_;
};

}  // namespace drover::testing
