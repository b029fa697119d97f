#pragma once
// Bot ids as the operator types them and as they appear in reports.
// A bot id is a positive decimal number; on its host the bot's container is `bot<ID>`.
#include <string>
#include <string_view>
#include <vector>

namespace drover::core {

using BotId = int;

inline constexpr BotId kMinBotId = 1;
inline constexpr BotId kMaxBotId = 999'999'999;

/// Parses a bot id typed by the operator or read from configuration: decimal digits only,
/// no sign, no spaces, no leading zeros, within [kMinBotId, kMaxBotId]. Throws InputError
/// naming what is wrong ("'53a9' is not a number") and how to fix it. Whether the bot exists
/// is the fleet's question (Fleet::require_bot).
BotId parse_bot_id(std::string_view text);

/// "bot539": how reports and container names spell a bot.
std::string bot_name(BotId id);

/// "bot512 bot516 bot77": ids in the order the guide's reports list them, which is the
/// text order of their names (what `sort` gives on "bot<ID>" lines), space separated.
std::string bot_list(const std::vector<BotId>& ids);

}  // namespace drover::core
