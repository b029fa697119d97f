#pragma once
// Percent-encoding for the Engine API's URLs. Every value that ends up in a request target
// (container names and ids, image references, JSON filters) goes through here, so nothing
// a caller passes can add a path segment, a query parameter or a fragment.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drover::docker {

/// Encodes every byte outside RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) as %XX.
/// Used for path segments and query values alike: '/', ':', '?', '&', '=', '#', '%',
/// spaces, control bytes and non-ASCII bytes are all encoded.
std::string percent_encode(std::string_view value);

/// An ordered query string; values (and keys) are percent-encoded when rendered.
class QueryString {
 public:
  QueryString& add(std::string_view key, std::string_view value);
  bool empty() const { return params_.empty(); }
  /// "" when empty, else "?k=v&k2=v2" in insertion order.
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace drover::docker
