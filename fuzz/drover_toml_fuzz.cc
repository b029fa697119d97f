// drover.toml as `drover` loads it (cli/config/drover_toml.h), the nesting bound included: any
// text is either a config or one InputError, never a crash (toml++ recursing past the stack was
// one). The error's parts are never empty and carry no control character, so the one-line
// `drover: error: …` stays one line whatever the file holds.
#include <algorithm>
#include <cstdint>

#include "cli/config/drover_toml.h"
#include "core/input_error.h"
#include "fuzz_check.h"

namespace {

using namespace drover;

bool printable_line(const std::string& text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// discover = "ssm" finds hosts through AWS; here it finds one fixed host, so the merge of
// discovered hosts with [[hosts]] is parsed too.
std::vector<core::Host> one_discovered_host(const cli::AwsSettings&, const std::string&) {
  core::Host host;
  host.name = "i-0123456789abcdef0";
  host.bots = {9001};
  return {host};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cli::ConfigOverrides overrides;
  overrides.discover = one_discovered_host;
  try {
    const auto config = cli::parse_config(fuzz::as_text(data, size), "drover.toml", overrides);
    fuzz::require(!config.image_repository.empty(), "a loaded config has an image repository");
  } catch (const core::InputError& e) {
    fuzz::require(!e.problem().empty() && !e.fix().empty(), "an InputError says what and how");
    fuzz::require(
        printable_line(e.where()) && printable_line(e.problem()) && printable_line(e.fix()),
        "an InputError's text is one printable line");
  }
  return 0;
}
