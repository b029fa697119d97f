#pragma once
// SHA-256 through OpenSSL, as lowercase hex: the agent's identity for the drift guard.
#include <string>
#include <string_view>

namespace drover {

std::string sha256_hex(std::string_view data);
/// Hashes the file in chunks. Throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace drover
