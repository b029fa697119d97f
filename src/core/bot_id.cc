#include "core/bot_id.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::core {

BotId parse_bot_id(std::string_view text) {
  constexpr std::string_view kWhere = "bot id";
  const std::string range =
      fmt::format("a bot id is a number from {} to {}, e.g. 539", kMinBotId, kMaxBotId);
  if (text.empty()) {
    throw InputError(std::string(kWhere), "is empty", range);
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      throw InputError(std::string(kWhere),
                       fmt::format("'{}' is not a number (only the digits 0-9 are allowed)",
                                   printable(text, kQuotedBytes)),
                       range);
    }
  }
  if (const auto first_digit = text.find_first_not_of('0');
      text.size() > 1 && text.front() == '0' && first_digit != std::string_view::npos) {
    throw InputError(std::string(kWhere),
                     fmt::format("'{}' has leading zeros", printable(text, kQuotedBytes)),
                     fmt::format("write it without them: {}",
                                 printable(text.substr(first_digit), kQuotedBytes)));
  }
  // Nine digits always fit in an int, so the length check comes before the conversion.
  long long value = 0;
  if (text.size() <= 9) {
    for (char c : text) {
      value = value * 10 + (c - '0');
    }
  }
  if (text.size() > 9 || value < kMinBotId || value > kMaxBotId) {
    throw InputError(std::string(kWhere),
                     fmt::format("{} is out of range", printable(text, kQuotedBytes)), range);
  }
  return static_cast<BotId>(value);
}

std::string bot_name(BotId id) {
  return fmt::format("bot{}", id);
}

std::string bot_list(const std::vector<BotId>& ids) {
  std::vector<std::string> names;
  names.reserve(ids.size());
  for (BotId id : ids) {
    names.push_back(bot_name(id));
  }
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, " "));
}

}  // namespace drover::core
