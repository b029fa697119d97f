#pragma once
// The [[hosts]] entries of drover.toml: each host's name, address, bots and group, checked
// with core::Fleet's rules but reported at the entry's line, and with the cross-host rules
// (a host name once, a bot id on one host only) naming the line of the first occurrence.
#include <vector>

#include "cli/config/table.h"
#include "core/fleet.h"

namespace drover::cli {

/// The hosts in file order. `root` is the whole file. Throws core::InputError.
std::vector<core::Host> read_hosts(const ConfigTable& root);

}  // namespace drover::cli
