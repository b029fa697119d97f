#pragma once
// The agent's report line as the JSON value drover's readers take (core/agent_report.h). A
// 10,000-host deploy reads 30,000 reports of about 1.5 KB; nlohmann's own parser spent ~40 µs on
// each, a quarter of drover's CPU. simdjson (runtime-dispatched to the CPU's SIMD kernels) parses
// the line in about 1 µs, and the value is built from its tree; nlohmann's parser remains the
// judge of anything simdjson refuses, so what counts as JSON does not change.
#include <nlohmann/json.hpp>
#include <string_view>

namespace drover::transport {

/// `text` parsed as one JSON document, or a discarded value (is_discarded()) when it is not one.
/// The value nlohmann::json::parse(text, nullptr, false) gives, of the same types (an integer
/// without a minus sign is unsigned, a repeated key keeps its last value), with one exception
/// no reader can see: -0 reads as an unsigned 0, which nlohmann stores as a signed one.
nlohmann::json parse_json_document(std::string_view text);

/// Whether `text` is one JSON document whose root is an object, as parse_json_document would
/// say, without building its value.
bool is_json_object(std::string_view text);

}  // namespace drover::transport
