#include "transport/report_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/agent_report_read.h"
#include "core/json_reader.h"

namespace drover::transport {
namespace {

using simdjson::dom::element;
using Type = simdjson::dom::element_type;

// What reading one report keeps: each field's place in the document ("report.bots[2].outcome"),
// kept as a node per field read and spelled out only when a field is wrong (most reports are
// read without an error, and building every path, as core::JsonReader does, allocated once per
// field); and the members of each object read, listed once (an object's fields are looked up
// one by one, a bot's fifteen of them among its fifteen members).
class ReadState {
 public:
  static constexpr std::uint32_t kNone = UINT32_MAX;
  ReadState() {
    nodes_.reserve(64);
    members_.reserve(64);
  }
  std::uint32_t root() { return add({kNone, "report", 0}); }
  std::uint32_t member(std::uint32_t parent, const char* key) { return add({parent, key, 0}); }
  std::uint32_t item(std::uint32_t parent, std::size_t index) {
    return add({parent, nullptr, index});
  }
  std::string spelled(std::uint32_t at) const {
    const auto& node = nodes_[at];
    if (node.parent == kNone) {
      return node.key;
    }
    auto path = spelled(node.parent);
    if (node.key != nullptr) {
      return path + "." + node.key;
    }
    return fmt::format("{}[{}]", path, node.index);
  }

  struct Member {
    std::string_view key;
    element value;
  };
  // Lists `object`'s members; returns where they start in members().
  std::uint32_t list(simdjson::dom::object object) {
    const auto begin = static_cast<std::uint32_t>(members_.size());
    for (const auto field : object) {
      members_.push_back({field.key, field.value});
    }
    return begin;
  }
  const std::vector<Member>& members() const { return members_; }

 private:
  struct Node {
    std::uint32_t parent;
    const char* key;  // nullptr for an array's item
    std::size_t index;
  };
  std::uint32_t add(Node node) {
    nodes_.push_back(node);
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  std::vector<Node> nodes_;
  std::vector<Member> members_;
};

// core::JsonReader's members over a simdjson element, with the same answers and errors (the
// same value types: an unsigned number reads as nlohmann's unsigned, a repeated key keeps its
// last value).
class ElementReader {
 public:
  ElementReader(element value, ReadState& state, std::uint32_t at)
      : value_(value), state_(&state), at_(at) {}

  [[noreturn]] void fail(const std::string& problem) const {
    throw core::JsonShapeError(fmt::format("{}: {}", state_->spelled(at_), problem));
  }

  ElementReader at(const char* key) const {
    if (auto member = find(key)) {
      return *member;
    }
    throw core::JsonShapeError(fmt::format("{}.{}: missing", state_->spelled(at_), key));
  }
  std::optional<ElementReader> maybe(const char* key) const {
    auto member = find(key);
    if (!member || member->value_.type() == Type::NULL_VALUE) {
      return std::nullopt;
    }
    return member;
  }

  bool is_string() const { return value_.type() == Type::STRING; }
  bool is_object() const { return value_.type() == Type::OBJECT; }
  std::string json_text() const {
    // nlohmann's text of the value (sorted keys, its number format), as core::JsonReader gives.
    return nlohmann::json::parse(simdjson::minify(value_)).dump();
  }

  bool boolean() const {
    if (value_.type() != Type::BOOL) {
      fail("expected true or false");
    }
    return value_.get_bool().value_unsafe();
  }
  std::string string() const {
    if (!is_string()) {
      fail("expected a string");
    }
    return std::string(value_.get_string().value_unsafe());
  }
  std::int64_t integer() const {
    switch (value_.type()) {
      case Type::INT64:
        return value_.get_int64().value_unsafe();
      case Type::UINT64:  // above int64's range: nlohmann's get<int64_t> wraps it the same way
        return static_cast<std::int64_t>(value_.get_uint64().value_unsafe());
      case Type::DOUBLE: {
        const double number = value_.get_double().value_unsafe();
        constexpr double kTwoToThe63 = 9223372036854775808.0;
        if (!(number >= -kTwoToThe63 && number < kTwoToThe63)) {
          fail("number out of range");
        }
        return static_cast<std::int64_t>(number);
      }
      default:
        fail("expected a number");
    }
  }
  core::BotId bot_id() const {
    const auto type = value_.type();
    if (type != Type::INT64 && type != Type::UINT64) {
      fail("expected a bot id (an integer)");
    }
    const auto id = integer();
    if (id < core::kMinBotId || id > core::kMaxBotId) {
      fail(fmt::format("bot id {} is out of range", id));
    }
    return static_cast<core::BotId>(id);
  }
  std::vector<ElementReader> array() const {
    simdjson::dom::array items;
    if (value_.get_array().get(items) != simdjson::SUCCESS) {
      fail("expected a list");
    }
    std::vector<ElementReader> readers;
    readers.reserve(items.size());
    std::size_t index = 0;
    for (element item : items) {
      readers.emplace_back(item, *state_, state_->item(at_, index++));
    }
    return readers;
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> texts;
    for (const auto& item : array()) {
      texts.push_back(item.string());
    }
    return texts;
  }

 private:
  std::optional<ElementReader> find(const char* key) const {
    if (members_begin_ == ReadState::kNone) {
      simdjson::dom::object object;
      if (value_.get_object().get(object) != simdjson::SUCCESS) {
        fail("expected an object");
      }
      members_begin_ = state_->list(object);
      members_end_ = static_cast<std::uint32_t>(state_->members().size());
    }
    // From the end: the last of repeated keys counts, as in nlohmann's value.
    const std::string_view wanted(key);
    const auto& members = state_->members();
    for (auto i = members_end_; i > members_begin_; --i) {
      if (members[i - 1].key == wanted) {
        return ElementReader(members[i - 1].value, *state_, state_->member(at_, key));
      }
    }
    return std::nullopt;
  }

  element value_;
  ReadState* state_;
  std::uint32_t at_;
  // Where this object's members are listed in the state, once looked at.
  mutable std::uint32_t members_begin_ = ReadState::kNone;
  mutable std::uint32_t members_end_ = 0;
};

// A report is a few KB; the parser's buffers are kept for the next one up to this size.
constexpr std::size_t kKeptParserBytes = std::size_t{64} << 10;

simdjson::dom::parser& line_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

// Reads `line` with `read_simd` (a root ElementReader) when simdjson parses it, or with core's
// nlohmann reader `read_core` when it does not.
template <typename ReadSimd, typename ReadCore>
auto read_line(std::string_view line, ReadSimd read_simd, ReadCore read_core) {
  const simdjson::padded_string padded(line);
  auto& parser = line_parser();
  element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS || root.type() != Type::OBJECT) {
    return read_core(line);  // its own words for what is not a report
  }
  ReadState state;
  auto report = read_simd(ElementReader(root, state, state.root()));
  if (parser.capacity() > kKeptParserBytes) {
    parser = simdjson::dom::parser();  // frees the buffers a rare huge report grew
  }
  return report;
}

}  // namespace

core::SwapReport read_swap_report_line(std::string_view line) {
  return read_line(
      line, [](const ElementReader& root) { return core::report_reading::swap_report_of(root); },
      [](std::string_view text) { return core::parse_swap_report(text); });
}

core::StatusReport read_status_report_line(std::string_view line) {
  return read_line(
      line, [](const ElementReader& root) { return core::report_reading::status_report_of(root); },
      [](std::string_view text) { return core::parse_status_report(text); });
}

core::VersionReport read_version_report_line(std::string_view line) {
  return read_line(
      line, [](const ElementReader& root) { return core::report_reading::version_report_of(root); },
      [](std::string_view text) {
        auto document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
        return core::read_version_report(document.is_discarded() ? nullptr : document);
      });
}

}  // namespace drover::transport
