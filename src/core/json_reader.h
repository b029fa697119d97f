#pragma once
// Reads a JSON document field by field, knowing where it is ("bots[2].outcome"), so a
// malformed agent report or journal line is refused with the exact field and what was
// expected. Both the agent report parser and the journal use it.
// Invariant: the referenced json outlives the reader (it holds a reference).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/bot_id.h"

namespace drover::core {

/// A field had the wrong shape. what() is "<path>: <problem>".
class JsonShapeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string path)
      : value_(value), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& problem) const;

  /// The member `key`; throws when this is not an object or `key` is missing.
  JsonReader at(const char* key) const;
  /// The member `key`, or nullopt when it is missing or null.
  std::optional<JsonReader> maybe(const char* key) const;

  const nlohmann::json& raw() const { return value_; }
  const std::string& path() const { return path_; }

  bool is_string() const { return value_.is_string(); }
  bool is_object() const { return value_.is_object(); }
  /// The value as JSON text (compact), whatever it is.
  std::string json_text() const { return value_.dump(); }

  bool boolean() const;
  std::string string() const;
  std::int64_t integer() const;  // a float is truncated toward zero
  double number() const;
  BotId bot_id() const;  // an integer within [kMinBotId, kMaxBotId]
  std::vector<JsonReader> array() const;
  std::vector<BotId> bot_ids() const;
  std::vector<std::string> strings() const;

 private:
  const nlohmann::json& value_;
  std::string path_;
};

}  // namespace drover::core
