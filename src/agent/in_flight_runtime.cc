#include "agent/in_flight_runtime.h"

#include <utility>
#include <vector>

namespace drover::agent {

using Action = InFlightRequest::Action;

InFlightRecordingRuntime::InFlight::InFlight(InFlightRecordingRuntime& runtime,
                                             InFlightRequest request)
    : runtime_(runtime) {
  std::lock_guard lock(runtime_.mutex_);
  key_ = runtime_.next_key_++;
  runtime_.in_flight_.emplace(key_, std::move(request));
  runtime_.write_record();
}

InFlightRecordingRuntime::InFlight::~InFlight() {
  std::lock_guard lock(runtime_.mutex_);
  const auto entry = runtime_.in_flight_.find(key_);
  if (unanswered_) {
    runtime_.unanswered_.push_back(std::move(entry->second));
  }
  runtime_.in_flight_.erase(entry);
  runtime_.write_record();
}

InFlightRequest InFlightRecordingRuntime::request(Action action, std::string container,
                                                  Duration longest) {
  InFlightRequest request;
  request.action = action;
  request.container = std::move(container);
  request.land_by = clock_.wall_now() + longest;
  request.longest = longest;
  return request;
}

void InFlightRecordingRuntime::write_record() {
  const auto now = clock_.wall_now();
  std::erase_if(unanswered_, [now](const InFlightRequest& r) { return r.land_by <= now; });
  auto requests = unanswered_;
  for (const auto& [key, request] : in_flight_) {
    requests.push_back(request);
  }
  record_.record_requests_in_flight(requests);
}

std::string InFlightRecordingRuntime::create_container(const std::string& name,
                                                       const nlohmann::json& body) {
  InFlight in_flight(*this, request(Action::create, name));
  return in_flight.send([&] { return engine_.create_container(name, body); });
}

void InFlightRecordingRuntime::start_container(const std::string& id) {
  InFlight in_flight(*this, request(Action::start, id));
  in_flight.send([&] { engine_.start_container(id); });
}

void InFlightRecordingRuntime::stop_container(const std::string& id, std::chrono::seconds timeout) {
  // dockerd waits out the graceful stop's timeout before it kills.
  InFlight in_flight(*this, request(Action::stop, id, timeout + kEngineRequestLandingTime));
  in_flight.send([&] { engine_.stop_container(id, timeout); });
}

void InFlightRecordingRuntime::rename_container(const std::string& id,
                                                const std::string& new_name) {
  auto renaming = request(Action::rename, id);
  renaming.new_name = new_name;
  InFlight in_flight(*this, std::move(renaming));
  in_flight.send([&] { engine_.rename_container(id, new_name); });
}

void InFlightRecordingRuntime::remove_container(const std::string& id) {
  InFlight in_flight(*this, request(Action::remove, id));
  in_flight.send([&] { engine_.remove_container(id); });
}

}  // namespace drover::agent
