#pragma once
// One TOML table of drover.toml while it is being read, and where things are in the file.
// Every read names the key's dotted path ("hosts[3].bots") and the line toml++ recorded, so
// each configuration error reads
//   drover.toml:12: hosts[3].bots: expected a list of bot ids (numbers), got a string (…fix…)
// and is thrown as core::InputError (where = "drover.toml:12: hosts[3].bots").
// Invariant: a ConfigTable never outlives the parsed document its table belongs to.
#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace drover::cli {

/// A place in the configuration file: file, line (0 when unknown) and dotted key path.
struct ConfigPlace {
  std::string file;
  std::uint32_t line = 0;
  std::string key;

  /// "drover.toml:12: hosts[3].bots", "drover.toml: fleet", "drover.toml:3".
  std::string str() const;
};

/// Throws core::InputError(place.str(), what, fix).
[[noreturn]] void config_error(const ConfigPlace& place, std::string what, std::string fix);

/// What a node is, for "got …": "a string", "a number", "a list", "a table", "true/false", …
std::string describe_node(const toml::node& node);

/// The line toml++ recorded for `node`; 0 when it has none.
std::uint32_t line_of(const toml::node& node);

/// What a value should be, for "expected …" messages: a phrase and an example line.
struct Expected {
  std::string_view what;     // "a list of bot ids (numbers)"
  std::string_view example;  // "bots = [539, 540, 541]"
};

class ConfigTable {
 public:
  /// `path`: the table's dotted key path ("" for the whole file, "fleet", "hosts[2]").
  ConfigTable(const toml::table& table, std::string file, std::string path);

  const toml::table& toml_table() const { return *table_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }

  /// The dotted path of `key` in this table: "hosts[3].bots", "fleet.name", "hosts".
  std::string key_path(std::string_view key) const;
  /// The table itself (its header line).
  ConfigPlace place() const;
  /// `key`'s value when present, else the table (a missing key is reported where it belongs).
  ConfigPlace place(std::string_view key) const;
  /// Any node of this file under a given dotted path (list elements, nested values).
  ConfigPlace place_of(const toml::node& node, std::string key_path) const;

  /// Throws for the first key not in `known`, suggesting the closest known one.
  void allow_only(std::initializer_list<std::string_view> known) const;

  const toml::node* find(std::string_view key) const { return table_->get(key); }

  [[noreturn]] void fail(std::string_view key, std::string what, std::string fix) const;
  /// "expected <what>, got <describe_node>" with the example as the fix.
  [[noreturn]] void wrong_type(std::string_view key, const Expected& expected) const;
  /// "is missing" with the example as the fix.
  [[noreturn]] void missing(std::string_view key, const Expected& expected) const;

  // Typed reads: nullopt / nullptr when the key is absent; a present value of the wrong
  // type is an error.
  std::optional<std::string> string(std::string_view key, const Expected& expected) const;
  std::string required_string(std::string_view key, const Expected& expected) const;
  std::optional<std::int64_t> integer(std::string_view key, const Expected& expected) const;
  /// An integer or a float, as a double.
  std::optional<double> number(std::string_view key, const Expected& expected) const;
  std::optional<bool> boolean(std::string_view key, const Expected& expected) const;
  std::optional<ConfigTable> table(std::string_view key, const Expected& expected) const;
  const toml::array* array(std::string_view key, const Expected& expected) const;

 private:
  const toml::table* table_;
  std::string file_;
  std::string path_;
};

}  // namespace drover::cli
