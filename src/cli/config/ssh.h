#pragma once
// The [ssh] table of drover.toml, for transport = "ssh":
//
//   [ssh]
//   config = "~/.ssh/drover_config"   # optional: ssh -F <file> (`~/` is $HOME; a relative path
//                                     # is relative to drover.toml's directory)
//   connect_timeout = 10              # seconds, 1..300: an unreachable host fails this fast
//   control_persist = 60              # seconds, 1..3600: an idle host connection stays up
//
// and the ssh rules for [[hosts]] addresses (transport/ssh/ssh_address.h): checked at load so
// a typo fails before anything is deployed, at the entry's own line.
#include <optional>
#include <vector>

#include "cli/config/table.h"
#include "core/fleet.h"
#include "transport/ssh/ssh_settings.h"

namespace drover::cli {

/// The settings from `table` (absent: the defaults). An [ssh] table with another transport is
/// an error: it would silently do nothing. Throws core::InputError.
transport::SshSettings read_ssh_settings(const std::optional<ConfigTable>& table, bool is_ssh);

/// Every host's address, or its name when it has none, must be an ssh address. `root` is the
/// whole file, `hosts` what read_hosts returned from it. Throws core::InputError naming
/// hosts[i].address (or .name).
void check_ssh_addresses(const ConfigTable& root, const std::vector<core::Host>& hosts);

}  // namespace drover::cli
