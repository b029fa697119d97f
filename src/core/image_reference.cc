#include "core/image_reference.h"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "core/input_error.h"
#include "core/printable_text.h"

namespace drover::core {

namespace {

constexpr std::string_view kWhere = "image reference";
constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;
constexpr std::string_view kExample = "e.g. 127.0.0.1:5000/tradebot:v2";

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_lower_alnum(c) || is_upper(c);
}
bool is_word(char c) {
  return is_alnum(c) || c == '_';
}
bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

[[noreturn]] void refuse(std::string what, std::string fix) {
  throw InputError(std::string(kWhere), std::move(what), std::move(fix));
}

std::string quoted_word(std::string_view text) {
  return fmt::format("'{}'", printable(text, kQuotedBytes));
}

// The reference ends up in command lines on every host (ssh, SSM shell documents), so the
// characters a shell would act on get a message of their own rather than a generic
// "does not match the grammar": the operator should see that this was caught on purpose.
void refuse_unsafe_characters(std::string_view text) {
  constexpr std::string_view kShell = ";&|$`'\"<>(){}[]*?!~#\\%^=,";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto at = fmt::format("at position {}", i + 1);
    if (c == '\n' || c == '\r') {
      refuse(fmt::format("contains a line break {}", at),
             "give the reference on one line, without trailing newline");
    }
    if (c == ' ' || c == '\t') {
      refuse(fmt::format("contains whitespace {}", at),
             "a reference has no spaces; remove them or quote only the reference");
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      refuse(fmt::format("contains the control character 0x{:02x} {}", byte, at),
             "retype the reference using only letters, digits and . _ - : / @");
    }
    if (byte >= 0x80) {
      refuse(fmt::format("contains a non-ASCII character {}", at),
             "retype the reference using only letters, digits and . _ - : / @");
    }
    // '[' and ']' are legal around an IPv6 registry address; the domain check validates them.
    if ((c == '[' || c == ']') && text.find('/') != std::string_view::npos && i < text.find('/')) {
      continue;
    }
    if (kShell.find(c) != std::string_view::npos) {
      refuse(fmt::format("contains the shell character '{}' {}", c, at),
             fmt::format("a reference uses only letters, digits and . _ - : / @ ({})", kExample));
    }
  }
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(sep, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*,  separator := "." | "_" | "__" | "-"+
std::optional<std::string> path_component_problem(std::string_view part) {
  if (part.empty()) {
    return "has an empty path component (a doubled, leading or trailing '/')";
  }
  for (char c : part) {
    if (is_upper(c)) {
      std::string lower(part);
      for (auto& ch : lower) {
        if (is_upper(ch)) {
          ch = static_cast<char>(ch - 'A' + 'a');
        }
      }
      return fmt::format("repository name {} has upper-case letters; write {}", quoted_word(part),
                         quoted_word(lower));
    }
  }
  std::size_t i = 0;
  while (i < part.size()) {
    if (!is_lower_alnum(part[i])) {
      return fmt::format(
          "path component {} must start and end with a letter or digit, with single '.', "
          "single or double '_', or '-' between them",
          quoted_word(part));
    }
    while (i < part.size() && is_lower_alnum(part[i])) {
      ++i;
    }
    if (i == part.size()) {
      break;
    }
    const std::size_t sep_start = i;
    if (part[i] == '.') {
      ++i;
    } else if (part[i] == '_') {
      ++i;
      if (i < part.size() && part[i] == '_') {
        ++i;
      }
    } else if (part[i] == '-') {
      while (i < part.size() && part[i] == '-') {
        ++i;
      }
    } else {
      return fmt::format("path component {} contains {}, which a repository name cannot have",
                         quoted_word(part), quoted_word(part.substr(i, 1)));
    }
    if (i == part.size() || !is_lower_alnum(part[i])) {
      return fmt::format(
          "path component {} has {} where a letter or digit must follow; separators go only "
          "between letters and digits",
          quoted_word(part), quoted_word(part.substr(sep_start, i - sep_start)));
    }
  }
  return std::nullopt;
}

// DNS label: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool is_domain_label(std::string_view label) {
  if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) {
    return false;
  }
  for (char c : label) {
    if (!is_alnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

std::optional<std::string> domain_problem(std::string_view domain) {
  std::string_view host = domain;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return "IPv6 registry address has no closing ']'";
    }
    const auto inner = host.substr(1, close - 1);
    if (inner.empty()) {
      return "IPv6 registry address is empty";
    }
    for (char c : inner) {
      if (!is_digit(c) && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':') {
        return fmt::format("IPv6 registry address {} has {}", quoted_word(inner), quoted_word({&c, 1}));
      }
    }
    const auto rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return fmt::format("unexpected {} after ']'", quoted_word(rest));
      }
      port = rest.substr(1);
      if (port.empty()) {
        return "registry port after ':' is empty";
      }
    }
  } else {
    const auto colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (port.empty()) {
        return "registry port after ':' is empty";
      }
    }
    for (auto label : split(host, '.')) {
      if (!is_domain_label(label)) {
        return fmt::format("registry host {} is not a valid host name", quoted_word(host));
      }
    }
  }
  for (char c : port) {
    if (!is_digit(c)) {
      return fmt::format("registry port {} is not a number", quoted_word(port));
    }
  }
  return std::nullopt;
}

bool is_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > kMaxTagLength || !is_word(tag.front())) {
    return false;
  }
  for (char c : tag) {
    if (!is_word(c) && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

void check_tag(std::string_view tag) {
  if (tag.empty()) {
    refuse("has an empty tag after ':'", "write the tag, e.g. ':v2', or drop ':'");
  }
  if (tag.size() > kMaxTagLength) {
    refuse(fmt::format("tag is {} characters long; the limit is {}", tag.size(), kMaxTagLength),
           "use a shorter tag");
  }
  if (!is_tag(tag)) {
    refuse(fmt::format("tag {} is not a valid tag", quoted_word(tag)),
           "a tag is letters, digits and '_' first, then up to 127 of those or '.' or '-'");
  }
}

void check_digest(std::string_view digest) {
  if (!is_sha256_digest(digest)) {
    refuse(fmt::format("digest {} is not 'sha256:' followed by 64 lowercase hex digits",
                       quoted_word(digest)),
           "copy the digest from `docker inspect` (RepoDigests) or drop the '@…' part");
  }
}

// The first path element names a registry only when it looks like one (has '.' or ':' or is
// localhost). Docker additionally treats an element with upper-case letters as a registry;
// we do not, because "Tradebot/bot" is far more likely a mistyped repository than a
// registry host, and the upper-case message says so.
bool names_domain(std::string_view first, bool more_follow) {
  if (!more_follow) {
    return false;
  }
  return first.find_first_of(".:") != std::string_view::npos || first == "localhost" ||
         (!first.empty() && first.front() == '[');
}

}  // namespace

bool is_sha256_digest(std::string_view digest) {
  constexpr std::string_view kPrefix = "sha256:";
  if (digest.size() != kPrefix.size() + 64 || digest.substr(0, kPrefix.size()) != kPrefix) {
    return false;
  }
  for (char c : digest.substr(kPrefix.size())) {
    if (!is_lower_hex(c)) {
      return false;
    }
  }
  return true;
}

std::string ImageReference::repository() const {
  return domain.empty() ? path : domain + "/" + path;
}

std::string ImageReference::str() const {
  std::string text = repository();
  if (!tag.empty()) {
    text += ":" + tag;
  }
  if (!digest.empty()) {
    text += "@" + digest;
  }
  return text;
}

std::string ImageReference::pinned(std::string_view sha256_digest) const {
  check_digest(sha256_digest);
  return repository() + "@" + std::string(sha256_digest);
}

ImageReference parse_image_reference(std::string_view text) {
  if (text.empty()) {
    refuse("is empty", fmt::format("give the image to deploy, {}", kExample));
  }
  refuse_unsafe_characters(text);

  ImageReference ref;
  std::string_view name = text;
  if (const auto at = text.find('@'); at != std::string_view::npos) {
    name = text.substr(0, at);
    ref.digest = std::string(text.substr(at + 1));
    check_digest(ref.digest);
  }
  const auto last_slash = name.rfind('/');
  const auto tag_colon = name.find(':', last_slash == std::string_view::npos ? 0 : last_slash);
  if (tag_colon != std::string_view::npos) {
    ref.tag = std::string(name.substr(tag_colon + 1));
    name = name.substr(0, tag_colon);
    check_tag(ref.tag);
  }
  if (name.empty()) {
    refuse("names no repository",
           fmt::format("put the repository before ':' or '@', {}", kExample));
  }
  if (name.size() > kMaxNameLength) {
    refuse(fmt::format("repository name is {} characters long; the limit is {}", name.size(),
                       kMaxNameLength),
           "use a shorter registry or repository name");
  }

  auto parts = split(name, '/');
  std::size_t first_path = 0;
  if (names_domain(parts.front(), parts.size() > 1)) {
    if (auto problem = domain_problem(parts.front())) {
      refuse(*problem, fmt::format("write the registry as host[:port], {}", kExample));
    }
    ref.domain = std::string(parts.front());
    first_path = 1;
  }
  for (std::size_t i = first_path; i < parts.size(); ++i) {
    if (auto problem = path_component_problem(parts[i])) {
      refuse(*problem,
             fmt::format("repository names are lowercase letters and digits, {}", kExample));
    }
    if (!ref.path.empty()) {
      ref.path += "/";
    }
    ref.path += parts[i];
  }
  return ref;
}

ImageReference complete_image_reference(std::string_view typed, std::string_view default_repository,
                                        std::string_view default_tag) {
  if (typed.empty()) {
    refuse("is empty", fmt::format("give the image or just its tag, {} or v2", kExample));
  }
  refuse_unsafe_characters(typed);
  const bool bare_word = typed.find_first_of("/:@") == std::string_view::npos;
  const bool tag_only = bare_word || typed.front() == ':' || typed.front() == '@';
  if (tag_only) {
    if (default_repository.empty()) {
      throw InputError(
          std::string(kWhere),
          fmt::format("{} is only a tag, and the fleet has no default image", quoted_word(typed)),
          "give the full reference, or set [fleet] image in drover.toml");
    }
    // The default must name a repository only: "repo:latest" + ":v2" would otherwise fail
    // with a message about the operator's input rather than the configuration.
    const auto repository = parse_image_reference(default_repository);
    if (!repository.tag.empty() || !repository.digest.empty()) {
      throw InputError("fleet default image",
                       fmt::format("{} has a tag or digest", quoted_word(default_repository)),
                       "set [fleet] image to the repository alone and the tag in default_tag");
    }
    const std::string separator = bare_word ? ":" : "";
    return parse_image_reference(repository.repository() + separator + std::string(typed));
  }
  auto ref = parse_image_reference(typed);
  if (ref.tag.empty() && ref.digest.empty()) {
    if (default_tag.empty()) {
      throw InputError(
          std::string(kWhere),
          fmt::format("{} has no tag, and the fleet has no default tag", quoted_word(typed)),
          "add ':<tag>', or set [fleet] default_tag in drover.toml");
    }
    check_tag(default_tag);
    ref.tag = std::string(default_tag);
  }
  return ref;
}

}  // namespace drover::core
