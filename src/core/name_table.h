#pragma once
// The one place an enum's wire names are written: a constexpr table of {value, "name"} pairs,
// and the generic lookups every to_string/parse of such an enum goes through. Journal records,
// agent reports and JSON output all spell an enum's values through its table, so writer and
// reader can never disagree, and a table that misses or reorders a value fails to compile
// (see covers_every_value).
//
//   constexpr NameTable<RolloutStatus, 4> kRolloutStatusNames{{
//       {RolloutStatus::success, "success"}, {RolloutStatus::failed, "failed"}, …}};
//   static_assert(covers_every_value(kRolloutStatusNames));
//   std::string_view to_string(RolloutStatus s) { return name_of(kRolloutStatusNames, s); }
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace drover::core {

template <typename Enum>
struct EnumName {
  Enum value;
  std::string_view name;
};

template <typename Enum, std::size_t N>
using NameTable = std::array<EnumName<Enum>, N>;

/// True when the table lists the enum's values 0..N-1 in declaration order, each once, with
/// a non-empty name: then every value has exactly one name and name_of never falls through.
template <typename Enum, std::size_t N>
constexpr bool covers_every_value(const NameTable<Enum, N>& table) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(table[i].value) != i || table[i].name.empty()) return false;
    for (std::size_t j = 0; j < i; ++j) {
      if (table[j].name == table[i].name) return false;
    }
  }
  return true;
}

/// The name of `value`. For a table that covers_every_value this is total.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

/// The value named `name` (exact, case-sensitive), or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_named(const NameTable<Enum, N>& table, std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

/// Every name, for messages: "swapped, unchanged, rolled_back or failed".
template <typename Enum, std::size_t N>
std::string names_listed(const NameTable<Enum, N>& table, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? std::string(last_separator) : std::string(", ");
    out += table[i].name;
  }
  return out;
}

}  // namespace drover::core
