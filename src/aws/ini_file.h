#pragma once
// The INI dialect of ~/.aws/config and ~/.aws/credentials, read the way the AWS CLI reads it
// (Python's configparser): `[section]` headers, `key = value` or `key: value`, full-line
// comments starting with '#' or ';', key names case-insensitive (kept lower-cased), section
// names as written. An indented line continues the value above it, which is how the CLI nests
// settings such as `s3 =` followed by indented `max_concurrent_requests = 10`; drover reads
// no nested setting, so continuation lines are kept as text after a newline.
// No inline comments: the CLI keeps `key = a # b` as "a # b", and so do we.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace drover::aws {

using IniSection = std::map<std::string, std::string>;  // key (lower-cased) -> value

struct IniFile {
  // Sections in file order are not needed; a later duplicate section merges into the earlier
  // one key by key (later keys win), as configparser's non-strict mode does.
  std::map<std::string, IniSection> sections;
};

/// Parses `text`. Lines that are neither a header, a setting, a continuation nor a comment
/// (and settings before the first header) are ignored rather than fatal: the CLI refuses
/// such a file, but drover only needs the few keys it reads and must not fail on the rest.
IniFile parse_ini(std::string_view text);

/// Reads and parses `path`; nullopt when the file does not exist or cannot be read.
std::optional<IniFile> read_ini_file(const std::string& path);

}  // namespace drover::aws
