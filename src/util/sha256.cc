#include "util/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace drover {
namespace {

// The SHA-256 implementation, looked up in OpenSSL's provider tables once: EVP_sha256() makes
// EVP_DigestInit_ex fetch it again for every digest, and AWS signing hashes twice per request
// (thousands of requests at fleet scale). Fetched digests are immutable and thread-safe.
const EVP_MD* sha256_md() {
  static EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

// One digest context per thread, re-initialised for each hash: OpenSSL 3 then keeps the
// provider's state instead of allocating and freeing it twice per signed AWS request.
class Sha256 {
 public:
  Sha256() : ctx_(thread_context()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, sha256_md(), nullptr) != 1) {
      throw std::runtime_error("OpenSSL could not start a SHA-256 digest");
    }
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256() = default;

  void update(std::string_view data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(std::size_t{2} * length, '0');
    for (unsigned i = 0; i < length; ++i) {
      out[std::size_t{2} * i] = kHex[digest[i] >> 4];
      out[std::size_t{2} * i + 1] = kHex[digest[i] & 0xf];
    }
    return out;
  }

 private:
  static EVP_MD_CTX* thread_context() {
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
        EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return context.get();
  }

  EVP_MD_CTX* ctx_;
};

}  // namespace

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + " to hash it");
  Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    hash.update(std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
  }
  return hash.hex();
}

}  // namespace drover
