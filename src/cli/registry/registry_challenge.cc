#include "cli/registry/registry_challenge.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace drover::cli {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// A cursor over the header value.
struct Reader {
  std::string_view text;
  std::size_t at = 0;

  void skip_spaces() {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  }
  std::string token() {
    const std::size_t begin = at;
    while (at < text.size() && is_token_char(text[at])) ++at;
    return std::string(text.substr(begin, at - begin));
  }
  std::string value() {
    if (at >= text.size() || text[at] != '"') {
      // Unquoted: up to the next comma or space (servers write bare URLs here too).
      const std::size_t begin = at;
      while (at < text.size() && text[at] != ',' && text[at] != ' ' && text[at] != '\t') ++at;
      return std::string(text.substr(begin, at - begin));
    }
    std::string out;
    for (++at; at < text.size() && text[at] != '"'; ++at) {
      if (text[at] == '\\' && at + 1 < text.size()) ++at;
      out.push_back(text[at]);
    }
    if (at < text.size()) ++at;  // the closing quote
    return out;
  }
};

}  // namespace

std::optional<RegistryChallenge> parse_registry_challenge(std::string_view header) {
  Reader reader{header};
  // Challenges may be listed one after another: "Bearer realm=…, Basic realm=…".
  while (reader.at < header.size()) {
    reader.skip_spaces();
    const std::string scheme = lower(reader.token());
    if (scheme.empty()) {
      ++reader.at;
      continue;
    }
    std::map<std::string, std::string> params;
    for (;;) {
      reader.skip_spaces();
      const std::size_t mark = reader.at;
      const std::string name = lower(reader.token());
      reader.skip_spaces();
      if (name.empty() || reader.at >= header.size() || header[reader.at] != '=') {
        reader.at = mark;  // the next challenge's scheme, or the end
        break;
      }
      ++reader.at;
      reader.skip_spaces();
      params[name] = reader.value();
      reader.skip_spaces();
      if (reader.at < header.size() && header[reader.at] == ',') ++reader.at;
    }
    if (scheme == "basic") {
      RegistryChallenge challenge;
      challenge.realm = params["realm"];
      return challenge;
    }
    if (scheme == "bearer" && !params["realm"].empty()) {
      return RegistryChallenge{RegistryChallenge::Scheme::bearer, params["realm"],
                               params["service"], params["scope"]};
    }
  }
  return std::nullopt;
}

}  // namespace drover::cli
