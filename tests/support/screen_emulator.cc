#include "support/screen_emulator.h"

namespace drover::testing {

void ScreenEmulator::put(const std::string& code_point) {
  if (col_ == width_) {
    ++wraps_;
    ++row_;
    col_ = 0;
    if (row_ == lines_.size()) lines_.emplace_back();
  }
  auto& line = lines_[row_];
  if (line.size() <= col_) line.resize(col_ + 1, " ");
  line[col_++] = code_point;
}

void ScreenEmulator::feed(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\r') {
      col_ = 0;
    } else if (c == '\n') {
      ++row_;
      col_ = 0;
      if (row_ == lines_.size()) lines_.emplace_back();
    } else if (c == '\033') {
      // CSI: ESC [ parameters final-byte
      std::size_t end = i + 1;
      if (end < bytes.size() && bytes[end] == '[') {
        ++end;
        while (end < bytes.size() && (bytes[end] < 0x40 || bytes[end] > 0x7e)) ++end;
      }
      const auto sequence = std::string(bytes.substr(i, end - i + 1));
      if (sequence == "\033[K") {
        auto& line = lines_[row_];
        if (line.size() > col_) line.resize(col_);
      } else if (sequence.size() < 3 || sequence.back() != 'm') {
        unknown_.push_back(sequence);
      }
      i = end;
    } else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') {
      std::string point(1, c);
      while (i + 1 < bytes.size() && (static_cast<unsigned char>(bytes[i + 1]) & 0xC0) == 0x80) {
        point += bytes[++i];
      }
      put(point);
    }
  }
}

std::vector<std::string> ScreenEmulator::lines() const {
  std::vector<std::string> out;
  for (const auto& line : lines_) {
    std::string text;
    for (const auto& point : line) text += point;
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out.push_back(text);
  }
  return out;
}

}  // namespace drover::testing
