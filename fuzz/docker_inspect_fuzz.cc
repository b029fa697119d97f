// The Docker Engine's replies as the agent maps them (docker/inspect_mapping.h): a container
// or image inspect document of any shape maps to ContainerInfo / ImageInfo without throwing
// (absent, null or mistyped fields read as empty), and an event stream either yields the
// container's events or is refused with std::invalid_argument.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "docker/inspect_mapping.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drover;
  const auto body = fuzz::as_text(data, size);
  // The engine client parses replies the same way: never throwing, a discarded value on
  // malformed JSON (docker/engine_runtime.cc).
  const auto inspect = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!inspect.is_discarded()) {
    const auto container = docker::container_info_from_json(inspect);
    fuzz::require(container.config.is_object() && container.host_config.is_object() &&
                      container.networks.is_object(),
                  "Config, HostConfig and Networks are objects");
    const auto image = docker::image_info_from_json(inspect);
    fuzz::require(image.config.is_object(), "an image's Config is an object");
  }
  try {
    (void)docker::container_events_from_stream(body, "fuzzed");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
