// ssh addresses from drover.toml (transport/ssh/ssh_address.h): bad text is
// std::invalid_argument, never a crash; an accepted address is shown in a form that parses back
// to it, and its parts cannot be read by ssh as options.
#include <cstdint>
#include <stdexcept>

#include "fuzz_check.h"
#include "transport/ssh/ssh_address.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drover;
  try {
    const auto address = transport::parse_ssh_address(fuzz::as_text(data, size));
    fuzz::require(!address.host.empty() && address.host.front() != '-',
                  "an accepted host is not empty and is no ssh option");
    fuzz::require(address.user.empty() || address.user.front() != '-',
                  "an accepted user is no ssh option");
    fuzz::require(!address.port || (*address.port >= 1 && *address.port <= 65535),
                  "an accepted port is 1..65535");
    fuzz::require(transport::parse_ssh_address(transport::to_string(address)) == address,
                  "parse(to_string(a)) == a");
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
