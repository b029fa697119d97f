#pragma once
// The SSM API as the transport sees it: one JSON 1.1 call, operation name and input in, output
// out. The real side is aws::JsonProtocolClient::call (signed, retried on throttling); unit
// tests pass a scripted function. Throws aws::AwsError with AWS's code and message.
#include <functional>
#include <nlohmann/json.hpp>
#include <string_view>

namespace drover::transport {

using AwsJsonCall =
    std::function<nlohmann::json(std::string_view operation, const nlohmann::json& input)>;

}  // namespace drover::transport
