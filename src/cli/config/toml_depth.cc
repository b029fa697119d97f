#include "cli/config/toml_depth.h"

#include <vector>

namespace drover::cli {
namespace {

// One open array or inline table, and the depth its elements are at.
struct Frame {
  char kind;  // '[' or '{'
  int depth;
};

class DepthScanner {
 public:
  DepthScanner(std::string_view text, int max_depth) : text_(text), max_(max_depth) {}

  std::optional<TooDeep> scan() {
    start_line();
    while (pos_ < text_.size() && !found_) {
      const char c = text_[pos_];
      if (c == '"' || c == '\'') {
        skip_string(c);
        continue;
      }
      ++pos_;
      if (c == '#') {
        skip_comment();
      } else if (c == '\n') {
        ++line_;
        if (frames_.empty()) start_line();
      } else if (header_) {
        if (c == '.') count(++parts_);
        if (c == ']') header_done();
      } else if (key_mode_) {
        if (c == '.') count(frame_depth() + ++parts_);
        if (c == '=') {
          value_depth_ = frame_depth() + parts_;
          count(value_depth_);
          key_mode_ = false;
        }
        if (c == '}') close();  // `{}` or a trailing `}` after a broken key
      } else {
        value_char(c);
      }
    }
    return found_;
  }

 private:
  int frame_depth() const { return frames_.empty() ? table_depth_ : frames_.back().depth; }

  void count(int depth) {
    if (depth > max_ && !found_) found_ = TooDeep{line_, depth};
  }

  void start_line() {
    // A line at the top level starts a key or, with `[`, a table header.
    std::size_t i = pos_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
    header_ = i < text_.size() && text_[i] == '[';
    if (header_) {
      pos_ = i + 1;
      if (pos_ < text_.size() && text_[pos_] == '[') ++pos_;  // [[array of tables]]
      parts_ = 1;
      count(parts_);
    } else {
      parts_ = 1;
      key_mode_ = true;
    }
  }

  void header_done() {
    header_ = false;
    table_depth_ = parts_;
    key_mode_ = true;
    parts_ = 1;
    // The rest of the line (a second `]`, a comment) needs no counting.
    while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '#') ++pos_;
  }

  void value_char(char c) {
    if (c == '[' || c == '{') {
      // The depth of the value that opens here; a list's elements are one deeper, an inline
      // table's keys are counted from it like a header's.
      const int at =
          frames_.empty() || frames_.back().kind == '{' ? value_depth_ : frames_.back().depth;
      const int depth = c == '[' ? at + 1 : at;
      count(depth);
      frames_.push_back({c, depth});
      if (c == '{') {
        key_mode_ = true;
        parts_ = 1;
      } else {
        value_depth_ = depth;
      }
    } else if (c == ']' || c == '}') {
      close();
    } else if (c == ',' && !frames_.empty() && frames_.back().kind == '{') {
      key_mode_ = true;
      parts_ = 1;
    }
  }

  void close() {
    if (!frames_.empty()) frames_.pop_back();
    key_mode_ = false;
    if (!frames_.empty() && frames_.back().kind == '[') value_depth_ = frames_.back().depth;
  }

  void skip_comment() {
    while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
  }

  void skip_string(char quote) {
    const std::string_view triple = quote == '"' ? "\"\"\"" : "'''";
    const bool multiline = text_.substr(pos_, 3) == triple;
    pos_ += multiline ? 3 : 1;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\\' && quote == '"') {
        pos_ += 2;  // an escape, e.g. \" (a line-ending backslash in a multi-line string too)
        if (pos_ <= text_.size() && text_[pos_ - 1] == '\n') ++line_;
        continue;
      }
      if (c == '\n') {
        if (!multiline) return;  // an unterminated string: the parser says so
        ++line_;
      }
      if (!multiline && c == quote) {
        ++pos_;
        return;
      }
      if (multiline && text_.substr(pos_, 3) == triple) {
        pos_ += 3;
        // Up to two more quotes belong to the string (`""""` is a quote, then the end).
        for (int extra = 0; extra < 2 && pos_ < text_.size() && text_[pos_] == quote; ++extra) {
          ++pos_;
        }
        return;
      }
      ++pos_;
    }
  }

  std::string_view text_;
  int max_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::vector<Frame> frames_;
  bool header_ = false;
  bool key_mode_ = true;
  int parts_ = 1;
  int table_depth_ = 0;
  int value_depth_ = 0;
  std::optional<TooDeep> found_;
};

}  // namespace

std::optional<TooDeep> find_too_deep_nesting(std::string_view text, int max_depth) {
  return DepthScanner(text, max_depth).scan();
}

}  // namespace drover::cli
