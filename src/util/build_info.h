#pragma once
// Which build this is: the version in CMakeLists.txt's project(VERSION) and the git commit the
// build was made from, both compiled in from a header the build generates
// (cmake/build_info.cmake), so no version is ever written by hand in the code.
//
// Only drover carries the commit. drover-agent names its build by its own sha256 instead: the
// drift guard compares agents byte for byte, and an agent that embedded the commit would
// differ after every commit (a README edit would make every host "drifted"). build_commit()
// lives in its own file so the agent, which never calls it, does not link it.
#include <string>
#include <string_view>

namespace drover {

/// "0.1.0": project(VERSION).
std::string_view build_version();
/// The commit's first 12 hex digits, "unknown" for a build outside a git checkout.
std::string_view build_commit();
/// What `<program> --version` prints: "drover 0.1.0 (build 3f2a1bc4d5e6)", with `build` the
/// commit (drover) or the binary's sha256 prefix (drover-agent).
std::string version_line(std::string_view program, std::string_view build);

}  // namespace drover
