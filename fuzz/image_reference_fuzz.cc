// Image references as the operator types them and as drover.toml gives them
// (core/image_reference.h): bad text is an InputError, never a crash, and what is accepted
// reads back the same from its own text.
#include <cstdint>

#include "core/image_reference.h"
#include "core/input_error.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drover;
  const auto text = fuzz::as_text(data, size);
  try {
    const auto reference = core::parse_image_reference(text);
    fuzz::require(!reference.path.empty(), "an accepted reference has a path");
    fuzz::require(core::parse_image_reference(reference.str()) == reference, "parse(str(r)) == r");
    if (!reference.digest.empty()) {
      fuzz::require(core::is_sha256_digest(reference.digest), "an accepted digest is sha256");
    }
  } catch (const core::InputError&) {
  }
  try {
    const auto completed =
        core::complete_image_reference(text, "127.0.0.1:5000/team/tradebot", "latest");
    fuzz::require(core::parse_image_reference(completed.str()) == completed,
                  "a completed reference is a valid reference");
  } catch (const core::InputError&) {
  }
  return 0;
}
