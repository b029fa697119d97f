#include "core/json_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace drover::core {
namespace {

// Bytes nlohmann's dump writes as they are: printable ASCII but the quote and the backslash.
bool written_as_is(char c) {
  return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
}

}  // namespace

void JsonWriter::before_value() {
  if (after_value_) {
    out_ += ',';
  }
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  after_value_ = false;
}

void JsonWriter::close(char bracket) {
  out_ += bracket;
  after_value_ = true;
}

JsonWriter& JsonWriter::begin_object() {
  open('{');
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  open('[');
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  string(name);
  out_ += ':';
  after_value_ = false;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  // A lambda, not the function itself: all_of would call through a pointer for every byte.
  if (std::all_of(text.begin(), text.end(), [](char c) { return written_as_is(c); })) {
    out_.push_back('"');
    out_.append(text);
    out_.push_back('"');
  } else {
    // Anything to escape, or not ASCII: nlohmann writes it, as the journal always did
    // (error_handler::replace: a reason quoting odd agent output must not make the write throw).
    out_ += nlohmann::json(std::string(text))
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::nullable_string(std::string_view text) {
  return text.empty() ? null() : string(text);
}

JsonWriter& JsonWriter::integer(std::int64_t number) {
  before_value();
  const fmt::format_int digits(number);
  out_.append(digits.data(), digits.size());
  after_value_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  after_value_ = true;
  return *this;
}

}  // namespace drover::core
