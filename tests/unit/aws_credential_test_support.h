#pragma once
// Shared pieces of the credential chain's unit tests: a temporary HOME with files written in
// the test, a scripted environment, a scripted HttpClient and a wall clock that only moves
// when told to.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "util/http/http_client.h"

namespace drover::aws::testing {

/// A directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "drover-aws-creds-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

  /// Writes `text` to `relative` (directories created), returns the full path.
  std::string write(const std::string& relative, const std::string& text,
                    bool executable = false) const {
    const auto full = path_ / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream(full, std::ios::binary) << text;
    if (executable) {
      std::filesystem::permissions(full, std::filesystem::perms::owner_all);
    }
    return full.string();
  }

 private:
  std::filesystem::path path_;
};

/// An environment that is exactly this map (HOME included only when put there).
inline EnvLookup env_of(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<const std::map<std::string, std::string>>(std::move(values));
  return [shared](const std::string& name) -> std::optional<std::string> {
    auto it = shared->find(name);
    return it == shared->end() ? std::nullopt : std::optional(it->second);
  };
}

/// Wall-clock time that only moves when the test says so. Thread-safe.
class FakeWallClock {
 public:
  FakeWallClock()
      : seconds_(std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::sys_days(std::chrono::year(2026) / 5 / 1).time_since_epoch())
                     .count()) {}
  std::chrono::system_clock::time_point now() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(seconds_.load()));
  }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }
  WallClock fn() {
    return [this] { return now(); };
  }

 private:
  std::atomic<std::int64_t> seconds_;
};

/// An HttpClient that answers with a test-supplied function and records every request.
class ScriptedHttp final : public HttpClient {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  explicit ScriptedHttp(Handler handler = nullptr) : handler_(std::move(handler)) {}

  HttpResponse send(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (!handler_) {
      HttpResponse refused;
      refused.transport_error = "Couldn't connect to server";
      return refused;
    }
    return handler_(request);
  }
  void set_handler(Handler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }
  std::vector<HttpRequest> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

inline HttpResponse answer(long status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

/// The value of header `name` (case-insensitive) in `request`; "" when absent.
inline std::string header(const HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return value;
    }
  }
  return "";
}

/// A JSON credentials document as container endpoints and IMDS return it.
inline std::string credentials_json(const std::string& key_id, const std::string& secret,
                                    const std::string& token, const std::string& expiration) {
  return R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + key_id +
         R"(","SecretAccessKey":")" + secret + R"(","Token":")" + token + R"(","Expiration":")" +
         expiration + R"("})";
}

}  // namespace drover::aws::testing
