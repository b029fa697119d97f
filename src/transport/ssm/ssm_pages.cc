#include "transport/ssm/ssm_pages.h"

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "aws/aws_error.h"

namespace drover::transport {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kBodyInMessage = 200;
constexpr std::string_view kStderrMark = "\n----------ERROR-------\n";

// Where the parser is: one frame per open object (with the member being read) or array (with
// how many elements it has had). The readers below decide what a value is from these frames
// alone, so nothing of a page is kept but what they copy out.
struct Frame {
  bool array = false;
  std::string key;
  std::size_t elements = 0;
};

class PageSax : public nlohmann::json_sax<Json> {
 public:
  bool null() override {
    on_null();
    return value_done();
  }
  bool boolean(bool /*value*/) override { return value_done(); }
  bool number_integer(number_integer_t value) override {
    on_integer(value);
    return value_done();
  }
  bool number_unsigned(number_unsigned_t value) override {
    on_integer(static_cast<std::int64_t>(value));
    return value_done();
  }
  // AWS's JSON protocol sends timestamps as epoch seconds, often with a fraction.
  bool number_float(number_float_t value, const string_t& /*text*/) override {
    on_integer(static_cast<std::int64_t>(value));
    return value_done();
  }
  bool string(string_t& value) override {
    on_string(value);
    return value_done();
  }
  bool binary(binary_t& /*value*/) override { return value_done(); }
  bool start_object(std::size_t /*elements*/) override {
    frames_.push_back({false, {}, 0});
    on_object_start();
    return true;
  }
  bool key(string_t& name) override {
    frames_.back().key.assign(name);
    return true;
  }
  bool end_object() override {
    on_object_end();
    frames_.pop_back();
    return value_done();
  }
  bool start_array(std::size_t /*elements*/) override {
    frames_.push_back({true, {}, 0});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return value_done();
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) override {
    return false;
  }

  /// Reads `body` as `operation`'s answer; throws AwsError when it is not a JSON object.
  void read(std::string_view operation, std::string_view body) {
    const auto first = body.find_first_not_of(" \t\r\n");
    const bool object = first != std::string_view::npos && body[first] == '{';
    if (!object || !Json::sax_parse(body.begin(), body.end(), this)) {
      throw aws::AwsError("InvalidResponse", std::string(operation) +
                                                 " answer is not a JSON object: " +
                                                 std::string(body.substr(0, kBodyInMessage)));
    }
  }

 protected:
  virtual void on_null() {}
  virtual void on_integer(std::int64_t /*value*/) {}
  virtual void on_string(std::string& /*value*/) {}
  virtual void on_object_start() {}
  virtual void on_object_end() {}

  std::size_t depth() const { return frames_.size(); }
  // The member being read in the object at `level` (0: the answer itself).
  const std::string& member(std::size_t level) const { return frames_[level].key; }
  // Whether the value at the top is inside `list`: the answer's member `list`, an array, then
  // the element objects (depth 3), as every page has its rows.
  bool in_rows(std::string_view list) const {
    return depth() >= 3 && member(0) == list && frames_[1].array && !frames_[2].array;
  }
  // The answer's own member (NextToken) when the value is at depth 1.
  bool at_top(std::string_view name) const { return depth() == 1 && member(0) == name; }

 private:
  bool value_done() {
    if (!frames_.empty() && frames_.back().array) {
      ++frames_.back().elements;
    }
    return true;
  }

 protected:
  std::vector<Frame> frames_;
};

// The plugin members are read from the first plugin only (drover's command has one step).
class InvocationsReader : public PageSax {
 public:
  InvocationsPage page;

 protected:
  void on_object_start() override {
    if (depth() == 3 && in_rows("CommandInvocations")) {
      page.rows.emplace_back();
      row_ = {};
    } else if (in_first_plugin() && depth() == 5) {
      row_.has_plugin = true;
    }
  }
  void on_object_end() override {
    if (depth() == 3 && in_rows("CommandInvocations")) {
      finish(page.rows.back());
    }
  }
  void on_string(std::string& value) override {
    if (at_top("NextToken")) {
      page.next_token = value;
    } else if (depth() == 3 && in_rows("CommandInvocations")) {
      const auto& name = member(2);
      if (name == "InstanceId") {
        page.rows.back().instance_id = value;
      } else if (name == "Status") {
        page.rows.back().seen.invocation.status = value;
      } else if (name == "StatusDetails") {
        page.rows.back().seen.invocation.status_details = value;
      }
    } else if (depth() == 5 && in_first_plugin()) {
      if (member(4) == "Output") {
        row_.output = std::move(value);
      } else if (member(4) == "ResponseStartDateTime") {
        row_.started = true;
      }
    }
  }
  void on_integer(std::int64_t value) override {
    if (depth() == 5 && in_first_plugin()) {
      if (member(4) == "ResponseCode") {
        row_.response_code = static_cast<int>(value);
      } else if (member(4) == "ResponseStartDateTime") {
        row_.started = true;  // a timestamp in epoch seconds
      }
    }
  }

 private:
  struct Plugin {
    bool has_plugin = false;
    int response_code = -1;
    bool started = false;
    std::string output;
  };

  bool in_first_plugin() const {
    return depth() >= 5 && in_rows("CommandInvocations") && member(2) == "CommandPlugins" &&
           frames_[3].array && frames_[3].elements == 0 && !frames_[4].array;
  }

  void finish(ListedRow& row) {
    auto& seen = row.seen;
    if (!row_.has_plugin) {
      // Without the plugin there is no output to read: only a run that ended has one.
      seen.complete = seen.invocation.status != "Success" && seen.invocation.status != "Failed";
      return;
    }
    seen.invocation.response_code = row_.response_code;
    seen.invocation.started = row_.started;
    const auto mark = row_.output.find(kStderrMark);
    if (mark == std::string::npos) {
      // Fewer bytes than the limit's characters: nothing was cut.
      seen.complete = row_.output.size() < kSsmListedOutputLimit;
      seen.invocation.stdout_content = std::move(row_.output);
    } else {
      seen.invocation.stdout_content = row_.output.substr(0, mark);
      seen.invocation.stderr_content = row_.output.substr(mark + kStderrMark.size());
    }
  }

  Plugin row_;
};

class CommandsReader : public PageSax {
 public:
  CommandsPage page;

 protected:
  void on_object_start() override {
    if (depth() == 3 && in_rows("Commands")) {
      page.completed.emplace_back(std::string(), 0);
    }
  }
  void on_string(std::string& value) override {
    if (at_top("NextToken")) {
      page.next_token = value;
    } else if (depth() == 3 && in_rows("Commands") && member(2) == "CommandId") {
      page.completed.back().first = value;
    }
  }
  void on_integer(std::int64_t value) override {
    if (depth() == 3 && in_rows("Commands") && member(2) == "CompletedCount") {
      page.completed.back().second = static_cast<int>(value);
    }
  }
};

class InstancesReader : public PageSax {
 public:
  InstancesPage page;

 protected:
  void on_object_start() override {
    if (depth() == 3 && in_rows("InstanceInformationList")) {
      row_ = {};
      platform_name_.clear();
      platform_version_.clear();
    }
  }
  void on_object_end() override {
    if (depth() == 3 && in_rows("InstanceInformationList") && !row_.instance_id.empty()) {
      row_.platform = platform_name_ + " " + platform_version_;
      page.instances.push_back(std::move(row_));
    }
  }
  void on_string(std::string& value) override {
    if (at_top("NextToken")) {
      page.next_token = value;
      return;
    }
    if (depth() != 3 || !in_rows("InstanceInformationList")) {
      return;
    }
    const auto& name = member(2);
    if (name == "InstanceId") {
      row_.instance_id = value;
    } else if (name == "PingStatus") {
      row_.ping_status = value;
    } else if (name == "ComputerName") {
      row_.computer_name = value;
    } else if (name == "PlatformName") {
      platform_name_ = value;
    } else if (name == "PlatformVersion") {
      platform_version_ = value;
    } else if (name == "AgentVersion") {
      row_.agent_version = value;
    }
  }

 private:
  SsmInstanceInfo row_;
  std::string platform_name_;
  std::string platform_version_;
};

}  // namespace

InvocationsPage read_invocations_page(std::string_view body) {
  InvocationsReader reader;
  reader.read("ListCommandInvocations", body);
  return std::move(reader.page);
}

CommandsPage read_commands_page(std::string_view body) {
  CommandsReader reader;
  reader.read("ListCommands", body);
  return std::move(reader.page);
}

InstancesPage read_instances_page(std::string_view body) {
  InstancesReader reader;
  reader.read("DescribeInstanceInformation", body);
  return std::move(reader.page);
}

}  // namespace drover::transport
