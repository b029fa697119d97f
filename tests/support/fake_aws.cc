#include "support/fake_aws.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace drover::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("FakeAws: cannot write " + path);
}

/// One HTTP/1.1 request with Connection: close over a plain socket; returns {status, body}.
std::pair<int, std::string> http_request(int port, const std::string& method,
                                         const std::string& path, const std::string& body) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("FakeAws: socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    close(fd);
    throw std::runtime_error(std::string("FakeAws: connect: ") + std::strerror(err));
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" +
                        std::to_string(port) +
                        "\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      throw std::runtime_error("FakeAws: send failed");
    }
    sent += static_cast<size_t>(n);
  }
  std::string response;
  char buffer[65536];
  for (;;) {
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  auto header_end = response.find("\r\n\r\n");
  if (response.compare(0, 9, "HTTP/1.1 ") != 0 || header_end == std::string::npos) {
    throw std::runtime_error("FakeAws: malformed answer to " + method + " " + path);
  }
  return {std::stoi(response.substr(9, 3)), response.substr(header_end + 4)};
}

}  // namespace

FakeAws::FakeAws(const FakeAwsOptions& options) {
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "drover-fake-aws-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    throw std::runtime_error(std::string("FakeAws: mkdtemp: ") + std::strerror(errno));
  }
  dir_ = dir_template;
  const std::string port_file = dir_ + "/port";
  const std::string log_file = dir_ + "/stderr.log";

  std::vector<std::string> argv{"python3", std::string(DROVER_SOURCE_DIR) +
                                               "/tests/fake_aws/fake_aws.py",
                                "--port", "0", "--port-file", port_file};
  if (!options.fleet_json.empty()) {
    write_file(dir_ + "/fleet.json", options.fleet_json);
    argv.insert(argv.end(), {"--fleet", dir_ + "/fleet.json"});
  }
  for (const auto& role : options.roles) argv.insert(argv.end(), {"--role", role});
  if (!options.container_token.empty()) {
    argv.insert(argv.end(), {"--container-token", options.container_token});
  }
  if (!options.files_dir.empty()) argv.insert(argv.end(), {"--files-dir", options.files_dir});
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::vector<char*> arg_ptrs;
  for (auto& arg : argv) arg_ptrs.push_back(arg.data());
  arg_ptrs.push_back(nullptr);
  int rc = posix_spawnp(&pid_, "python3", &actions, &attr, arg_ptrs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    pid_ = -1;
    std::filesystem::remove_all(dir_);
    throw std::runtime_error(std::string("FakeAws: cannot run python3: ") + std::strerror(rc));
  }

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    std::string text = read_file(port_file);
    if (!text.empty()) {  // written atomically (rename), so a present file is complete
      port_ = std::stoi(text);
      return;
    }
    int status = 0;
    bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
    if (exited || std::chrono::steady_clock::now() > deadline) {
      if (exited) pid_ = -1;
      std::string why = exited ? "exited" : "did not write its port file within 20 s";
      std::string output = read_file(log_file);
      stop();
      std::filesystem::remove_all(dir_);
      throw std::runtime_error("FakeAws: fake_aws.py " + why + ":\n" + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

FakeAws::~FakeAws() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void FakeAws::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

std::string FakeAws::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::map<std::string, std::string> FakeAws::env() const {
  return {{"AWS_ENDPOINT_URL", url()},
          {"AWS_EC2_METADATA_SERVICE_ENDPOINT", url()},
          {"AWS_ACCESS_KEY_ID", kAccessKey},
          {"AWS_SECRET_ACCESS_KEY", kSecretKey},
          {"AWS_REGION", kRegion}};
}

nlohmann::json FakeAws::control(const std::string& method, const std::string& path,
                                const std::string& body) {
  auto [status, text] = http_request(port_, method, path, body);
  if (status < 200 || status > 299) {
    throw std::runtime_error("FakeAws: " + method + " " + path + " answered " +
                             std::to_string(status) + ": " + text);
  }
  return nlohmann::json::parse(text);
}

nlohmann::json FakeAws::set_config(const nlohmann::json& config) {
  return control("POST", "/_fake/config", config.dump());
}

nlohmann::json FakeAws::calls() {
  return control("GET", "/_fake/calls");
}

void FakeAws::clear_calls() {
  control("DELETE", "/_fake/calls");
}

nlohmann::json FakeAws::invocations() {
  return control("GET", "/_fake/invocations");
}

nlohmann::json FakeAws::parameters() {
  return control("GET", "/_fake/parameters");
}

std::string FakeAws::log() const {
  return read_file(dir_ + "/stderr.log");
}

}  // namespace drover::testing
