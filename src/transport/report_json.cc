#include "transport/report_json.h"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace drover::transport {
namespace {

// A report is a few KB; the parser's buffers (several times the document) are kept for the next
// one only up to this size, so a worker that once read a 2 MiB line does not hold it for good.
constexpr std::size_t kKeptParserBytes = std::size_t{64} << 10;

simdjson::dom::parser& report_parser() {
  // One per thread (the local and ssh transports read reports from several), reused.
  thread_local simdjson::dom::parser parser;
  return parser;
}

// simdjson's parser refuses documents nested deeper than 1,024 levels, so this recursion is
// bounded; such a document goes to nlohmann's parser.
nlohmann::json value_of(simdjson::dom::element element) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      nlohmann::json object = nlohmann::json::object();
      auto& members = object.get_ref<nlohmann::json::object_t&>();
      for (const auto [key, value] : element.get_object()) {
        // The agent writes its members sorted (nlohmann's order), so each goes at the end: a
        // hint there saves the tree's search. Any other order is still placed right.
        // A repeated key keeps its last value.
        members.insert_or_assign(members.end(), std::string(key), value_of(value));
      }
      return object;
    }
    case Type::ARRAY: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto value : element.get_array()) {
        array.push_back(value_of(value));
      }
      return array;
    }
    case Type::STRING:
      return std::string(element.get_string().value_unsafe());
    case Type::INT64: {
      // nlohmann reads an integer without a minus sign as unsigned.
      const std::int64_t number = element.get_int64().value_unsafe();
      if (number >= 0) {
        return static_cast<std::uint64_t>(number);
      }
      return number;
    }
    case Type::UINT64:
      return element.get_uint64().value_unsafe();
    case Type::DOUBLE:
      return element.get_double().value_unsafe();
    case Type::BOOL:
      return element.get_bool().value_unsafe();
    case Type::NULL_VALUE:
      break;
  }
  return nullptr;
}

}  // namespace

nlohmann::json parse_json_document(std::string_view text) {
  const simdjson::padded_string padded(text);
  auto& parser = report_parser();
  simdjson::dom::element root;
  nlohmann::json value = parser.parse(padded).get(root) == simdjson::SUCCESS
                             ? value_of(root)
                             : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parser.capacity() > kKeptParserBytes) {
    parser = simdjson::dom::parser();  // frees the large buffers
  }
  return value;
}

bool is_json_object(std::string_view text) {
  const simdjson::padded_string padded(text);
  auto& parser = report_parser();
  simdjson::dom::element root;
  const auto parsed = parser.parse(padded).get(root);
  const bool object =
      parsed == simdjson::SUCCESS
          ? root.type() == simdjson::dom::element_type::OBJECT
          : nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false).is_object();
  if (parser.capacity() > kKeptParserBytes) {
    parser = simdjson::dom::parser();  // frees the large buffers
  }
  return object;
}

}  // namespace drover::transport
