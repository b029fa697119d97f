#include "util/base64.h"

#include <openssl/evp.h>

#include <algorithm>
#include <vector>

namespace drover {

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  std::string padded(text);
  const bool alphabet_ok = std::all_of(padded.begin(), padded.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
  });
  if (!alphabet_ok) return std::nullopt;
  while (padded.size() % 4 != 0) padded.push_back('=');
  const auto pad = static_cast<std::size_t>(std::count(
      padded.end() - std::min<std::ptrdiff_t>(2, static_cast<std::ptrdiff_t>(padded.size())),
      padded.end(), '='));
  // '=' may only end the text.
  if (padded.find('=') != std::string::npos && padded.find('=') < padded.size() - pad) {
    return std::nullopt;
  }
  std::vector<unsigned char> out(padded.size() / 4 * 3 + 1);
  const int written =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(padded.data()),
                      static_cast<int>(padded.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding's zero bytes too.
  const auto size = static_cast<std::size_t>(written) - std::min<std::size_t>(pad, written);
  return std::string(reinterpret_cast<const char*>(out.data()), size);
}

}  // namespace drover
