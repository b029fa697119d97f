#pragma once
// Writes one JSON document straight into a string, member by member, without building an
// nlohmann value first: a 10,000-host deploy writes 10,000 journal host lines, and building
// then dumping each one's tree was a seventh of its CPU (README, issue 11).
//
// The caller writes an object's members in nlohmann's order (keys sorted, as std::map keeps
// them), so a line is byte for byte what `json::dump()` wrote for the same value. Strings are
// escaped by nlohmann itself whenever they hold anything but printable ASCII: what is written
// never differs from its dump, invalid UTF-8 included (replaced, as the journal always did).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace drover::core {

class JsonWriter {
 public:
  /// `expected_bytes`: about how long the document will be (one allocation, not a string
  /// doubling through it).
  explicit JsonWriter(std::size_t expected_bytes = 0) { out_.reserve(expected_bytes); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The next member's key; its value follows.
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  /// `text`, or null when it is empty (how the journal writes an unknown digest or id).
  JsonWriter& nullable_string(std::string_view text);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& null();

  /// The document written so far.
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void open(char bracket);  // an object's or an array's
  void close(char bracket);

  std::string out_;
  bool after_value_ = false;  // a value or member ended last: the next one needs a comma
};

}  // namespace drover::core
