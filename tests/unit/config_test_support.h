#pragma once
// Shared by the config_*_test.cc files: parse a drover.toml text, or get its refusal.
#include <gtest/gtest.h>

#include <string>

#include "cli/config/drover_toml.h"
#include "core/input_error.h"

namespace drover::cli::testing {

/// A minimal valid [fleet] and one host, to which a test appends the section it is about.
inline const std::string kFleet = R"([fleet]
name = "tradebot"
image = "127.0.0.1:5000/tradebot"
)";

inline const std::string kOneHost = R"(
[[hosts]]
name = "host-1"
bots = [539]
)";

/// The InputError's full message for `text` read as drover.toml, or "" when it loads.
inline std::string refusal(const std::string& text) {
  try {
    parse_config(text, "drover.toml");
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

/// Passes when `part` occurs in `text`; on failure shows both.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "'" << part << "' is not in:\n  " << text;
}

}  // namespace drover::cli::testing
