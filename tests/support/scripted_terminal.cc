#include "support/scripted_terminal.h"

namespace drover::testing {

void ScriptedTerminal::will_answer(std::string answer) {
  std::lock_guard lock(mutex_);
  answers_.push_back(std::move(answer));
}

std::optional<std::string> ScriptedTerminal::ask(const std::string& prompt) {
  std::lock_guard lock(mutex_);
  prompts_.push_back(prompt);
  if (answers_.empty()) return std::nullopt;
  auto answer = std::move(answers_.front());
  answers_.pop_front();
  return answer;
}

void ScriptedTerminal::print(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_ += text;
}

void ScriptedTerminal::status_line(const std::string& text) {
  std::lock_guard lock(mutex_);
  status_lines_.push_back(text);
}

void ScriptedTerminal::error(const std::string& text) {
  std::lock_guard lock(mutex_);
  err_ += text;
}

std::string ScriptedTerminal::out() const {
  std::lock_guard lock(mutex_);
  return out_;
}

std::string ScriptedTerminal::err() const {
  std::lock_guard lock(mutex_);
  return err_;
}

std::vector<std::string> ScriptedTerminal::prompts() const {
  std::lock_guard lock(mutex_);
  return prompts_;
}

std::vector<std::string> ScriptedTerminal::status_lines() const {
  std::lock_guard lock(mutex_);
  return status_lines_;
}

}  // namespace drover::testing
