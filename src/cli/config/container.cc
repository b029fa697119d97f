#include "cli/config/container.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cli/config/docker_schema.h"
#include "cli/config/suggestion.h"
#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

using nlohmann::json;

// The error for a mistake found at `path` inside the template ("host_config.restart_policy.name",
// "env[2]"): the caller knows how to turn a path into a line of the file. The walk throws it.
using Report =
    std::function<core::InputError(const std::string& path, std::string what, std::string fix)>;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string json_type(const json& value) {
  if (value.is_string()) {
    return "a string";
  }
  if (value.is_number_integer()) {
    return "a whole number";
  }
  if (value.is_number()) {
    return "a decimal number";
  }
  if (value.is_boolean()) {
    return "true/false";
  }
  if (value.is_array()) {
    return "a list";
  }
  if (value.is_object()) {
    return "a table";
  }
  return "null";
}

bool all_strings(const json& value) {
  for (const auto& item : value) {
    if (!item.is_string()) {
      return false;
    }
  }
  return true;
}

std::string expected_for(DockerValueKind kind) {
  switch (kind) {
    case DockerValueKind::string:
      return "a string";
    case DockerValueKind::strings:
      return "a list of strings";
    case DockerValueKind::string_or_strings:
      return "a string or a list of strings";
    case DockerValueKind::integer:
      return "a whole number";
    case DockerValueKind::boolean:
      return "true or false";
    case DockerValueKind::string_map:
      return "a table of strings";
    case DockerValueKind::object:
      return "a table";
    case DockerValueKind::any:
    case DockerValueKind::refused:
      break;
  }
  return "a value";
}

bool has_shape(DockerValueKind kind, const json& value) {
  switch (kind) {
    case DockerValueKind::string:
      return value.is_string();
    case DockerValueKind::strings:
      return value.is_array() && all_strings(value);
    case DockerValueKind::string_or_strings:
      return value.is_string() || (value.is_array() && all_strings(value));
    case DockerValueKind::integer:
      return value.is_number_integer();
    case DockerValueKind::boolean:
      return value.is_boolean();
    case DockerValueKind::string_map:
      return value.is_object() && all_strings(value);
    case DockerValueKind::object:
      return value.is_object();
    case DockerValueKind::any:
    case DockerValueKind::refused:
      break;
  }
  return true;
}

std::string field_list(std::span<const DockerField> fields) {
  std::string list;
  for (const auto& f : fields) {
    if (f.kind == DockerValueKind::refused) {
      continue;
    }
    list += (list.empty() ? "" : ", ") + std::string(f.name);
  }
  return list;
}

json canonical_object(const json& in, std::span<const DockerField> fields, const std::string& path,
                      const Report& report);

json canonical_value(const json& value, const DockerField& field, const std::string& path,
                     const Report& report) {
  if (field.kind == DockerValueKind::refused) {
    throw report(path, "cannot be set here", std::string(field.note));
  }
  if (!has_shape(field.kind, value)) {
    throw report(path,
                 fmt::format("expected {}, got {}", expected_for(field.kind), json_type(value)),
                 fmt::format("Docker's {} is {}", field.name, expected_for(field.kind)));
  }
  if (field.kind == DockerValueKind::object) {
    return canonical_object(value, field.fields, path, report);
  }
  if (!field.allowed.empty()) {
    bool known = false;
    std::string list;
    for (auto allowed : field.allowed) {
      known = known || value.get<std::string>() == allowed;
      list += (list.empty() ? "\"" : ", \"") + std::string(allowed) + "\"";
    }
    if (!known) {
      throw report(path,
                   fmt::format("\"{}\" is not a value Docker accepts",
                               core::printable(value.get<std::string>())),
                   "use one of " + list);
    }
  }
  return value;
}

json canonical_object(const json& in, std::span<const DockerField> fields, const std::string& path,
                      const Report& report) {
  json out = json::object();
  std::map<std::string_view, std::string> written_as;  // Docker name → the key as written
  std::vector<std::string_view> names;
  for (const auto& f : fields) {
    names.push_back(f.name);
  }
  for (const auto& [key, value] : in.items()) {
    const std::string key_path = join(path, core::printable(key));
    const DockerField* field = find_docker_field(fields, key);
    if (!field) {
      auto close = closest_word(key, names);
      std::string where = path.empty() ? "a Docker create body" : path;
      throw report(key_path, "is not a field of " + where,
                   close.empty() ? "Docker's fields here: " + field_list(fields)
                                 : fmt::format("did you mean {}? Docker's fields here: {}", close,
                                               field_list(fields)));
    }
    auto [previous, inserted] = written_as.emplace(field->name, key);
    if (!inserted) {
      throw report(key_path,
                   fmt::format("sets {} a second time (also written '{}')", field->name,
                               core::printable(previous->second)),
                   "keep one of the two");
    }
    out[std::string(field->name)] = canonical_value(value, *field, key_path, report);
  }
  return out;
}

// TOML to JSON, remembering the line of every path so the schema check can point at it.
json to_json(const toml::node& node, const std::string& path, const ConfigTable& section,
             std::map<std::string, std::uint32_t>& lines) {
  lines[path] = line_of(node);
  if (auto* table = node.as_table()) {
    json out = json::object();
    for (auto&& [key, value] : *table) {
      out[std::string(key.str())] =
          to_json(value, join(path, core::printable(key.str())), section, lines);
    }
    return out;
  }
  if (auto* array = node.as_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < array->size(); ++i) {
      out.push_back(to_json(*array->get(i), fmt::format("{}[{}]", path, i), section, lines));
    }
    return out;
  }
  if (auto* s = node.as_string()) {
    return s->get();
  }
  if (auto* i = node.as_integer()) {
    return i->get();
  }
  if (auto* f = node.as_floating_point()) {
    return f->get();
  }
  if (auto* b = node.as_boolean()) {
    return b->get();
  }
  config_error(section.place_of(node, section.key_path(path)),
               "a date or time has no meaning in a Docker create body",
               "write it as a string, or as nanoseconds for Healthcheck durations");
}

json from_template_json(const ConfigTable& section) {
  const Expected expected{"a JSON object (a Docker create body) in a string",
                          R"(template_json = '{"Env":["BOT_ID={id}"]}')"};
  auto text = *section.string("template_json", expected);
  auto parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    section.fail("template_json",
                 parsed.is_discarded() ? "is not valid JSON" : "is JSON but not an object",
                 fmt::format("write it like: {}", expected.example));
  }
  Report report = [&](const std::string& path, std::string what, std::string fix) {
    return core::InputError(section.place("template_json").str(), path + ": " + std::move(what),
                            std::move(fix));
  };
  return canonical_object(parsed, docker_create_body_fields(), "", report);
}

}  // namespace

std::optional<json> read_container_template(const std::optional<ConfigTable>& section) {
  if (!section) {
    return std::nullopt;
  }
  if (section->find("template_json")) {
    if (section->toml_table().size() > 1) {
      section->fail("template_json", "cannot be combined with other keys in [container]",
                    "write the whole body either as TOML keys or as template_json, not both");
    }
    return from_template_json(*section);
  }
  std::map<std::string, std::uint32_t> lines;
  json body = to_json(section->toml_table(), "", *section, lines);
  Report report = [&](const std::string& path, std::string what, std::string fix) {
    auto line = lines.find(path);
    ConfigPlace place{section->file(), line == lines.end() ? 0 : line->second,
                      section->key_path(path)};
    return core::InputError(place.str(), std::move(what), std::move(fix));
  };
  return canonical_object(body, docker_create_body_fields(), "", report);
}

}  // namespace drover::cli
