// check_docker_log_rotation (declared in baseline_checks.h): dockerd's daemon.json is the one
// file the baseline rewrites, so its reading and merging live apart from the simpler checks.
#include <exception>
#include <nlohmann/json.hpp>

#include "agent/baseline_checks.h"

namespace drover::agent {
namespace {

const char* const daemon_json = "/etc/docker/daemon.json";
const char* const applies_when =
    "it applies to containers created after dockerd restarts (drover does not restart dockerd: "
    "that stops every bot unless live-restore is on; the next deploy recreates the bots)";

// ordered_json keeps the operator's key order, so the rewritten file diffs as one added block.
using Json = nlohmann::ordered_json;

bool rotates_by_itself(const std::string& driver) {
  return driver == "local" || driver == "journald";
}

}  // namespace

BaselineCheck check_docker_log_rotation(HostSystem& host, bool fix) {
  BaselineCheck check;
  check.check = "docker_log_rotation";
  check.found = "unknown";
  const std::string path = daemon_json;
  try {
    auto text = host.read_file(path);
    Json config = Json::object();
    if (text) {
      try {
        config = Json::parse(*text);
      } catch (const Json::parse_error& e) {
        check.found = "invalid";
        // dockerd refuses to start on it too; guessing what was meant could make it worse.
        check.detail = path + " is not valid JSON (" + e.what() +
                       "); dockerd will not start with it. drover leaves it untouched: fix it "
                       "by hand, then run baseline --fix";
        return check;
      }
      if (!config.is_object()) {
        check.found = "invalid";
        check.detail = path + " is not a JSON object; drover leaves it untouched: fix it by hand";
        return check;
      }
    }
    if (config.contains("log-driver") && !config["log-driver"].is_string()) {
      check.found = "invalid";
      check.detail = path + ": \"log-driver\" is not a string; fix it by hand";
      return check;
    }
    if (config.contains("log-opts") && !config["log-opts"].is_object()) {
      check.found = "invalid";
      check.detail = path + ": \"log-opts\" is not an object; fix it by hand";
      return check;
    }
    const std::string driver = config.value("log-driver", std::string("json-file"));
    check.found = driver;
    if (rotates_by_itself(driver)) {
      check.ok = true;
      check.detail = "log-driver is '" + driver + "', which bounds container logs by itself";
      return check;
    }
    if (driver != "json-file") {
      // Other drivers reject json-file's max-size option, and dockerd would then not start:
      // their retention is outside what drover knows how to check.
      check.detail = "log-driver is '" + driver +
                     "'; drover only knows how to bound local, journald and json-file logs, so "
                     "check this driver's retention by hand";
      return check;
    }
    const bool driver_is_default = !config.contains("log-driver");
    if (config.contains("log-opts") && config["log-opts"].contains("max-size")) {
      const auto& max_size = config["log-opts"]["max-size"];
      check.found =
          "max-size " + (max_size.is_string() ? max_size.get<std::string>() : max_size.dump());
      check.ok = true;
      check.detail =
          "log-driver json-file with log-opts max-size " + config["log-opts"]["max-size"].dump();
      return check;
    }
    check.found = "unbounded";
    check.fixable = true;
    const std::string problem =
        std::string("container logs use json-file") + (driver_is_default ? " (the default)" : "") +
        " with no log-opts max-size in " + path + ", so a chatty bot can fill the disk";
    if (!fix) {
      check.detail =
          problem + "; --fix adds log-opts max-size 10m and max-file 3 (" + applies_when + ")";
      return check;
    }
    auto& log_opts = config["log-opts"];
    if (!log_opts.contains("max-size")) log_opts["max-size"] = "10m";
    if (!log_opts.contains("max-file")) log_opts["max-file"] = "3";
    auto mode = host.file_mode(path).value_or(0644);
    host.write_file_atomic(path, config.dump(2) + "\n", mode);
    check.ok = check.fixed = true;
    const std::string options_set = "log-opts max-size " + log_opts["max-size"].dump() +
                                    " and max-file " + log_opts["max-file"].dump();
    check.detail = (text ? "added " + options_set + " to " + path + ", keeping its other settings"
                         : "created " + path + " with " + options_set) +
                   "; " + applies_when;
  } catch (const std::exception& e) {
    check.detail = "could not check " + path + ": " + e.what();
  }
  return check;
}

}  // namespace drover::agent
