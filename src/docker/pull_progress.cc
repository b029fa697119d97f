#include "docker/pull_progress.h"

#include <nlohmann/json.hpp>

namespace drover::docker {

void PullProgressReader::feed(std::string_view bytes) {
  pending_.append(bytes);
  std::size_t at = 0;
  for (;;) {
    const auto newline = pending_.find('\n', at);
    if (newline == std::string::npos) break;
    read_line(std::string_view(pending_).substr(at, newline - at));
    at = newline + 1;
  }
  pending_.erase(0, at);
}

std::optional<PullFailure> PullProgressReader::finish() {
  read_line(pending_);
  pending_.clear();
  return failure_;
}

void PullProgressReader::read_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  // Progress lines are informational; one we cannot parse is skipped rather than failing
  // a pull the engine reports as fine (the caller inspects the image afterwards anyway).
  const auto object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return;
  if (const auto status = object.find("status"); status != object.end() && status->is_string()) {
    last_status_ = status->get<std::string>();
  }
  if (failure_) return;  // the first failure is the cause; later ones are consequences
  PullFailure failure;
  if (const auto detail = object.find("errorDetail");
      detail != object.end() && detail->is_object()) {
    const auto message = detail->find("message");
    if (message != detail->end() && message->is_string()) failure.message = *message;
    const auto code = detail->find("code");
    if (code != detail->end() && code->is_number_integer()) failure.code = code->get<int>();
  }
  if (const auto error = object.find("error"); failure.message.empty() && error != object.end()) {
    failure.message = error->is_string() ? error->get<std::string>() : error->dump();
  }
  if (!failure.message.empty()) {
    failure_ = std::move(failure);
  } else if (object.contains("error") || object.contains("errorDetail")) {
    failure_ = PullFailure{"the engine reported a pull error without a message", 0};
  }
}

}  // namespace drover::docker
