#pragma once
// The verification report as the guide shows it (example d):
//
//   ── verification report (534 bots) ──
//     on deployed version : 534/534
//     logged into Steam   : 528/534
//     stale (old image)   : 0
//     down (no container) : 0
//     not logged in yet   : 6 -> bot512 bot516 bot517 bot603 bot77 bot89
//
// Every non-zero bad line lists its bots by id (stale and down too), in the guide's order
// (text order of "bot<ID>"). A line "no answer (host)" appears only when some host did not
// answer. "down" also covers a container that exists but is not running.
#include <string>

#include "core/verification.h"

namespace drover::core {

/// The block, each line ending in '\n'.
std::string render_verification_report(const VerificationReport& report);

}  // namespace drover::core
