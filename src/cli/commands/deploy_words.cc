#include "cli/commands/deploy_words.h"

#include <algorithm>
#include <cctype>

#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::cli {
namespace {

bool all_digits(const std::string& word) {
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_speed_word(const std::string& word) {
  return word == "routine" || word == "fast" || word == "immediate";
}

template <typename T>
void set_once(std::optional<T>& slot, T value, const std::string& what, const std::string& word) {
  if (slot) {
    throw core::InputError(
        "deploy arguments",
        "'" + core::printable(word, core::kQuotedBytes) + "' is a second " + what,
        "give at most one target, one speed, one bot id and one image");
  }
  slot = std::move(value);
}

}  // namespace

DeployWords parse_deploy_words(const std::vector<std::string>& words) {
  DeployWords out;
  std::size_t image_position = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& word = words[i];
    if (i == 0 && !is_speed_word(word)) {
      out.target = core::parse_target_kind(word);
      continue;
    }
    // After `bot`, a word that starts like a number is the bot id, so `12a` is reported as a
    // bad bot id rather than taken for an image tag.
    bool bot_id_like =
        !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-');
    if (is_speed_word(word)) {
      set_once(out.speed, core::parse_speed(word), "speed", word);
    } else if (all_digits(word) ||
               (out.target == core::TargetKind::bot && !out.bot_id && bot_id_like)) {
      set_once(out.bot_id, word, "bot id", word);
    } else if (out.image && image_position == 1) {
      // `deploy all turbo v2`: the word in the speed's place was not a speed.
      throw core::InputError(
          "speed", "'" + core::printable(words[1], core::kQuotedBytes) + "' is not a speed",
          "use routine, fast or immediate");
    } else {
      set_once(out.image, word, "image", word);
      image_position = i;
    }
  }
  return out;
}

}  // namespace drover::cli
