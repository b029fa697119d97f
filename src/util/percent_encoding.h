#pragma once
// RFC 3986 percent-encoding, the one implementation for every URL drover builds: the Docker
// Engine API's paths and queries, AWS's canonical requests (SigV4) and form bodies. Values
// that pass through here cannot add a path segment, a query parameter or a fragment.
//
// The users differ in one detail only, which is an explicit option: SigV4's canonical URI keeps
// '/' between path segments; everything else (a path segment, a query key or value, a form
// field) encodes it too.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover {

struct PercentEncoding {
  bool keep_slash = false;  // leave '/' as is: the value is a whole path, not one segment
};

/// Encodes every byte outside the unreserved set (A-Z a-z 0-9 - . _ ~), and '/' unless
/// `keep_slash`, as %XX with upper-case hex: '?', '&', '=', '#', '%', '+', spaces, control
/// bytes and non-ASCII bytes are all encoded.
std::string percent_encode(std::string_view value, PercentEncoding options = {});

/// Decodes %XX (either case of hex). A '%' not followed by two hex digits stays a literal '%';
/// '+' stays '+' (it means a space only in HTML forms).
std::string percent_decode(std::string_view text);

/// An ordered query string; keys and values are percent-encoded when rendered.
class QueryString {
 public:
  QueryString& add(std::string_view key, std::string_view value);
  bool empty() const { return params_.empty(); }
  /// "" when empty, else "?k=v&k2=v2" in insertion order.
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace drover
