#pragma once
// The SSM API as the transport sees it: one JSON 1.1 call, operation name and input in, output
// out. The real side is aws::JsonProtocolClient::call (signed, retried on throttling); unit
// tests pass a scripted function. Throws aws::AwsError with AWS's code and message.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace drover::transport {

using AwsJsonCall =
    std::function<nlohmann::json(std::string_view operation, const nlohmann::json& input)>;

/// The same call answering with the body as it came, unparsed: for the pages and SendCommand
/// answers drover reads with simdjson (ssm_pages.h), which keeps only the few members it uses.
/// The real side is aws::JsonProtocolClient::call_for_body (call_for_body_at_most_once for
/// SendCommand, which must not be repeated blindly).
using AwsBodyCall =
    std::function<std::string(std::string_view operation, const nlohmann::json& input)>;

/// An AwsBodyCall made of an AwsJsonCall (its answer serialized again), for callers that have
/// only the parsed one, such as tests with scripted answers.
AwsBodyCall body_call_of(AwsJsonCall call);

}  // namespace drover::transport
