#include "cli/config/table.h"

#include <fmt/format.h>

#include <vector>

#include "cli/config/suggestion.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {

std::string ConfigPlace::str() const {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}", line);
  }
  if (!key.empty()) {
    out += ": " + key;
  }
  return out;
}

void config_error(const ConfigPlace& place, std::string what, std::string fix) {
  throw core::InputError(place.str(), std::move(what), std::move(fix));
}

std::string describe_node(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "a number";
    case toml::node_type::floating_point:
      return "a decimal number";
    case toml::node_type::boolean:
      return "true/false";
    case toml::node_type::array:
      return "a list";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::uint32_t line_of(const toml::node& node) {
  return node.source().begin.line;
}

ConfigTable::ConfigTable(const toml::table& table, std::string file, std::string path)
    : table_(&table), file_(std::move(file)), path_(std::move(path)) {}

std::string ConfigTable::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

ConfigPlace ConfigTable::place() const {
  // The whole file has no line of its own: toml++ says 1, which would point at whatever
  // happens to be there.
  return {file_, path_.empty() ? 0 : line_of(*table_), path_};
}

ConfigPlace ConfigTable::place(std::string_view key) const {
  const toml::node* node = find(key);
  return {file_, node ? line_of(*node) : place().line, key_path(key)};
}

ConfigPlace ConfigTable::place_of(const toml::node& node, std::string key_path) const {
  return {file_, line_of(node), std::move(key_path)};
}

void ConfigTable::allow_only(std::initializer_list<std::string_view> known) const {
  for (auto&& [key, node] : *table_) {
    const std::string_view name = key.str();
    bool is_known = false;
    for (auto k : known) {
      is_known = is_known || k == name;
    }
    if (is_known) {
      continue;
    }
    std::vector<std::string_view> candidates(known);
    auto close = closest_word(name, candidates);
    std::string list;
    for (auto k : known) {
      list += (list.empty() ? "" : ", ") + std::string(k);
    }
    const std::string where = path_.empty() ? "the top level" : "[" + path_ + "]";
    std::string fix = close.empty()
                          ? fmt::format("{} takes only: {}", where, list)
                          : fmt::format("did you mean '{}'? {} takes only: {}", close, where, list);
    config_error({file_, key.source().begin.line, key_path(core::printable(name))}, "unknown key",
                 std::move(fix));
  }
}

void ConfigTable::fail(std::string_view key, std::string what, std::string fix) const {
  config_error(place(key), std::move(what), std::move(fix));
}

void ConfigTable::wrong_type(std::string_view key, const Expected& expected) const {
  const toml::node* node = find(key);
  fail(key,
       fmt::format("expected {}, got {}", expected.what, node ? describe_node(*node) : "nothing"),
       fmt::format("write it like: {}", expected.example));
}

void ConfigTable::missing(std::string_view key, const Expected& expected) const {
  fail(key, fmt::format("is missing: {} is required", expected.what),
       fmt::format("add a line like: {}", expected.example));
}

std::optional<std::string> ConfigTable::string(std::string_view key,
                                               const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (!node->is_string()) {
    wrong_type(key, expected);
  }
  return node->as_string()->get();
}

std::string ConfigTable::required_string(std::string_view key, const Expected& expected) const {
  auto value = string(key, expected);
  if (!value) {
    missing(key, expected);
  }
  return *value;
}

std::optional<std::int64_t> ConfigTable::integer(std::string_view key,
                                                 const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (!node->is_integer()) {
    wrong_type(key, expected);
  }
  return node->as_integer()->get();
}

std::optional<double> ConfigTable::number(std::string_view key, const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (node->is_integer()) {
    return static_cast<double>(node->as_integer()->get());
  }
  if (node->is_floating_point()) {
    return node->as_floating_point()->get();
  }
  wrong_type(key, expected);
}

std::optional<bool> ConfigTable::boolean(std::string_view key, const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (!node->is_boolean()) {
    wrong_type(key, expected);
  }
  return node->as_boolean()->get();
}

std::optional<ConfigTable> ConfigTable::table(std::string_view key,
                                              const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return std::nullopt;
  }
  if (!node->is_table()) {
    wrong_type(key, expected);
  }
  return ConfigTable(*node->as_table(), file_, key_path(key));
}

const toml::array* ConfigTable::array(std::string_view key, const Expected& expected) const {
  const toml::node* node = find(key);
  if (!node) {
    return nullptr;
  }
  if (!node->is_array()) {
    wrong_type(key, expected);
  }
  return node->as_array();
}

}  // namespace drover::cli
