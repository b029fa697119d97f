#include "agent/in_flight_request.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <sstream>
#include <string_view>
#include <utility>

namespace drover::agent {
namespace {

constexpr std::array<std::pair<InFlightRequest::Action, std::string_view>, 5> kActionNames{{
    {InFlightRequest::Action::create, "create"},
    {InFlightRequest::Action::start, "start"},
    {InFlightRequest::Action::stop, "stop"},
    {InFlightRequest::Action::rename, "rename"},
    {InFlightRequest::Action::remove, "remove"},
}};

std::string_view name_of(InFlightRequest::Action action) {
  for (const auto& [a, name] : kActionNames) {
    if (a == action) {
      return name;
    }
  }
  return "?";
}

std::optional<std::int64_t> number(const std::string& text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [at, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || at != end) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string to_record_line(const InFlightRequest& request) {
  const auto land_by_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(request.land_by.time_since_epoch());
  auto line = fmt::format("in-flight {} {} {} {}", land_by_ms.count(), request.longest.count(),
                          name_of(request.action), request.container);
  if (request.action == InFlightRequest::Action::rename) {
    line += " " + request.new_name;
  }
  return line;
}

std::optional<InFlightRequest> from_record_line(const std::string& line) {
  std::istringstream words(line);
  std::string tag, land_by, longest, action, container, new_name, extra;
  if (!(words >> tag >> land_by >> longest >> action >> container) || tag != "in-flight") {
    return std::nullopt;
  }
  words >> new_name >> extra;
  InFlightRequest request;
  const auto land_by_ms = number(land_by);
  const auto longest_ms = number(longest);
  if (!land_by_ms || !longest_ms || *longest_ms <= 0 || !extra.empty()) {
    return std::nullopt;
  }
  request.land_by = WallTime(std::chrono::milliseconds(*land_by_ms));
  request.longest = Duration(*longest_ms);
  request.container = container;
  bool known = false;
  for (const auto& [a, name] : kActionNames) {
    if (name == action) {
      request.action = a;
      known = true;
    }
  }
  const bool is_rename = request.action == InFlightRequest::Action::rename;
  if (!known || is_rename == new_name.empty()) {
    return std::nullopt;
  }
  request.new_name = new_name;
  return request;
}

std::string describe(const InFlightRequest& request) {
  // A 64-digit id says no more to a reader than its first 12 (docker ps's own short form).
  const bool is_id = request.container.size() == 64 &&
                     request.container.find_first_not_of("0123456789abcdef") == std::string::npos;
  auto text = fmt::format("{} {}", name_of(request.action),
                          is_id ? request.container.substr(0, 12) : request.container);
  if (request.action == InFlightRequest::Action::rename) {
    text += " to " + request.new_name;
  }
  return text;
}

}  // namespace drover::agent
