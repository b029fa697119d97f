#include "agent/login_probe_log.h"

#include <exception>
#include <stdexcept>
#include <string_view>

#include "agent/login_probe_container.h"
#include "util/rfc3339.h"

namespace drover::agent {
namespace {

std::regex compile(const std::string& pattern) {
  if (pattern.empty()) {
    throw std::invalid_argument("log: needs a regular expression after the colon");
  }
  if (pattern.size() > LogLoginProbe::max_pattern_length) {
    throw std::invalid_argument("log: the regular expression is longer than " +
                                std::to_string(LogLoginProbe::max_pattern_length) + " characters");
  }
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(std::string("log: not a valid ECMAScript regular expression (") +
                                e.what() + ")");
  }
}

std::string_view searchable_part(const std::string& line) {
  std::string_view view(line);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  if (view.size() > LogLoginProbe::max_searched_line_length) {
    view = view.substr(0, LogLoginProbe::max_searched_line_length);
  }
  return view;
}

}  // namespace

LogLoginProbe::LogLoginProbe(const std::string& pattern, docker::ContainerRuntime& runtime)
    : pattern_(pattern), regex_(compile(pattern)), runtime_(runtime) {}

LoginReading LogLoginProbe::check(int /*bot_id*/, const docker::ContainerInfo& container) {
  auto current = current_running_container(runtime_, container);
  if (auto* decided = std::get_if<LoginReading>(&current)) return *decided;
  const auto& info = std::get<docker::ContainerInfo>(current);

  // Only the current run counts: a container restarted after a crash keeps the log of its
  // previous run, whose login line says nothing about now.
  auto started = parse_rfc3339_unix_seconds(info.state.started_at);
  if (!started) {
    return {LoginState::unknown,
            "cannot read the container's start time '" + info.state.started_at + "'"};
  }
  std::int64_t since = *started > 0 ? *started : 0;

  std::vector<std::string> lines;
  try {
    lines = runtime_.container_logs(info.id, 0, since);
  } catch (const std::exception& e) {
    return {LoginState::unknown, std::string("could not read the container's log: ") + e.what()};
  }
  try {
    for (const auto& line : lines) {
      auto text = searchable_part(line);
      if (std::regex_search(text.begin(), text.end(), regex_)) {
        return {LoginState::logged_in, "log line matches /" + pattern_ + "/"};
      }
    }
  } catch (const std::regex_error& e) {
    // error_complexity / error_stack: the pattern is too costly for some line.
    return {LoginState::unknown, std::string("matching the log failed: ") + e.what()};
  }
  return {LoginState::not_logged_in, "no line of the log since the container started (" +
                                         std::to_string(lines.size()) + " lines) matches /" +
                                         pattern_ + "/"};
}

}  // namespace drover::agent
