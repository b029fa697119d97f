#include "cli/deploy_args.h"

#include <algorithm>

#include "core/input_error.h"

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
    throw core::InputError("deploy arguments", "'" + word + "' is a second " + what,
                           "give at most one target, one speed, one bot id and one image");
  }
  slot = std::move(value);
}

}  // namespace

DeployWords parse_deploy_words(const std::vector<std::string>& words) {
  DeployWords out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto& word = words[i];
    if (i == 0 && !is_speed_word(word)) {
      out.target = core::parse_target_kind(word);
      continue;
    }
    if (is_speed_word(word)) {
      set_once(out.speed, core::parse_speed(word), "speed", word);
    } else if (all_digits(word) ||
               (!word.empty() && word[0] == '-' && all_digits(word.substr(1)))) {
      set_once(out.bot_id, word, "bot id", word);
    } else {
      set_once(out.image, word, "image", word);
    }
  }
  return out;
}

}  // namespace drover::cli
