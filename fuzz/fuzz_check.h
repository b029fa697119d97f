#pragma once
// What the fuzz harnesses share: the input as text, and how a broken invariant is reported.
// A harness lets the parser's documented error type go (bad input is expected) and turns
// everything else into a crash libFuzzer and the replay both catch: an escaping exception of
// another type terminates, a broken round trip aborts here with what broke.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace drover::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Aborts, naming the invariant, when `holds` is false.
inline void require(bool holds, const char* invariant) {
  if (!holds) {
    std::fprintf(stderr, "fuzz: invariant broken: %s\n", invariant);
    std::abort();
  }
}

}  // namespace drover::fuzz
