#include "core/json_reader.h"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace drover::core {
namespace {

// "<path>.<key>" in one allocation: `path + "." + key` took two, for each of the 600,000 members
// a 10,000-host deploy reads.
std::string member_path(const std::string& path, const char* key) {
  const std::string_view name(key);
  std::string joined;
  joined.reserve(path.size() + 1 + name.size());
  joined.append(path).append(1, '.').append(name);
  return joined;
}

}  // namespace

void JsonReader::fail(const std::string& problem) const {
  throw JsonShapeError(fmt::format("{}: {}", path_, problem));
}

JsonReader JsonReader::at(const char* key) const {
  if (!value_.is_object()) {
    fail("expected an object");
  }
  // One lookup per member: a 10,000-host deploy reads some 600,000 of them.
  const auto member = value_.find(key);
  if (member == value_.end()) {
    throw JsonShapeError(fmt::format("{}.{}: missing", path_, key));
  }
  return JsonReader(*member, member_path(path_, key));
}

std::optional<JsonReader> JsonReader::maybe(const char* key) const {
  if (!value_.is_object()) {
    fail("expected an object");
  }
  const auto member = value_.find(key);
  if (member == value_.end() || member->is_null()) {
    return std::nullopt;
  }
  return JsonReader(*member, member_path(path_, key));
}

bool JsonReader::boolean() const {
  if (!value_.is_boolean()) {
    fail("expected true or false");
  }
  return value_.get<bool>();
}

std::string JsonReader::string() const {
  if (!value_.is_string()) {
    fail("expected a string");
  }
  return value_.get<std::string>();
}

std::int64_t JsonReader::integer() const {
  if (value_.is_number_integer()) {
    return value_.get<std::int64_t>();
  }
  if (value_.is_number_float()) {
    // A double outside int64's range (1e300, inf) has no integer to convert to: casting it is
    // undefined behaviour, which the fuzzer found. 2^63 is exactly representable as a double.
    const double number = value_.get<double>();
    constexpr double kTwoToThe63 = 9223372036854775808.0;
    if (!(number >= -kTwoToThe63 && number < kTwoToThe63)) {
      fail("number out of range");
    }
    return static_cast<std::int64_t>(number);
  }
  fail("expected a number");
}

double JsonReader::number() const {
  if (!value_.is_number()) {
    fail("expected a number");
  }
  return value_.get<double>();
}

BotId JsonReader::bot_id() const {
  if (!value_.is_number_integer()) {
    fail("expected a bot id (an integer)");
  }
  const auto id = value_.get<std::int64_t>();
  if (id < kMinBotId || id > kMaxBotId) {
    fail(fmt::format("bot id {} is out of range", id));
  }
  return static_cast<BotId>(id);
}

std::vector<JsonReader> JsonReader::array() const {
  if (!value_.is_array()) {
    fail("expected a list");
  }
  std::vector<JsonReader> items;
  items.reserve(value_.size());
  for (std::size_t i = 0; i < value_.size(); ++i) {
    items.emplace_back(value_.at(i), fmt::format("{}[{}]", path_, i));
  }
  return items;
}

std::vector<BotId> JsonReader::bot_ids() const {
  std::vector<BotId> ids;
  for (const auto& item : array()) {
    ids.push_back(item.bot_id());
  }
  return ids;
}

std::vector<std::string> JsonReader::strings() const {
  std::vector<std::string> texts;
  for (const auto& item : array()) {
    texts.push_back(item.string());
  }
  return texts;
}

}  // namespace drover::core
