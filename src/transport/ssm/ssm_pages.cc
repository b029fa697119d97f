#include "transport/ssm/ssm_pages.h"

#include <simdjson.h>

#include <cstddef>
#include <optional>

#include "aws/aws_error.h"
#include "util/rfc3339.h"

namespace drover::transport {
namespace {

namespace od = simdjson::ondemand;

constexpr std::size_t kBodyInMessage = 200;
constexpr std::string_view kStderrMark = "\n----------ERROR-------\n";

// simdjson's On-Demand parser: it finds the structure of a page with SIMD instructions and
// unescapes only the strings drover asks for, so the command lines every row repeats are skipped
// at memory speed. One parser per thread, reused: its buffers grow to the largest page once.
od::parser& page_parser() {
  thread_local od::parser parser;
  return parser;
}

// A member's text, or nothing when it is not a string. The view lives until the next page.
std::optional<std::string_view> text_of(od::value value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return text;
}

// A member's number (AWS's JSON protocol sends timestamps as epoch seconds, often with a
// fraction), or nothing when it is not a number.
std::optional<double> number_of(od::value value) {
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return number;
}

// A timestamp member in epoch seconds: AWS's JSON protocol sends a number; other encoders an
// RFC 3339 string. 0 when it is neither.
double epoch_seconds_of(od::value value) {
  if (auto number = number_of(value)) {
    return *number;
  }
  if (auto text = text_of(value)) {
    if (auto nanos = parse_rfc3339_unix_nanos(*text)) {
      return static_cast<double>(*nanos) / 1e9;
    }
  }
  return 0;
}

void assign_text(od::value value, std::string& out) {
  if (auto text = text_of(value)) {
    out.assign(*text);
  }
}

// Calls `row(object)` for every object element of the array `value` (other elements skipped).
template <typename Row>
void for_each_row(od::value value, Row&& row) {
  od::array rows;
  if (value.get_array().get(rows) != simdjson::SUCCESS) {
    return;
  }
  for (od::value element : rows) {
    od::object object;
    if (element.get_object().get(object) == simdjson::SUCCESS) {
      row(object);
    }
  }
}

// Reads `body` as `operation`'s answer, giving each top-level member to `member(key, value)`;
// throws AwsError "InvalidResponse" when the body is not a whole JSON object. Members are
// visited in the order they come and each at most once (On-Demand reads forward only).
template <typename Member>
void read_answer(std::string_view operation, std::string_view body, Member&& member) {
  const simdjson::padded_string padded(body);
  try {
    od::document document = page_parser().iterate(padded);
    od::object answer = document.get_object();
    for (od::field field : answer) {
      member(std::string_view(field.unescaped_key()), field.value());
    }
  } catch (const simdjson::simdjson_error& e) {
    throw aws::AwsError("InvalidResponse", std::string(operation) +
                                               " answer is not a JSON object (" + e.what() +
                                               "): " + std::string(body.substr(0, kBodyInMessage)));
  }
}

// The first plugin of a row (drover's command has one step): its code, start and Output.
struct Plugin {
  bool present = false;
  int response_code = -1;
  bool started = false;
  double finished = 0;
  std::string output;
};

Plugin read_first_plugin(od::value plugins) {
  Plugin plugin;
  od::array list;
  if (plugins.get_array().get(list) != simdjson::SUCCESS) {
    return plugin;
  }
  for (od::value element : list) {
    od::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) {
      return plugin;
    }
    plugin.present = true;
    for (od::field field : object) {
      const std::string_view key = field.unescaped_key();
      if (key == "Output") {
        assign_text(field.value(), plugin.output);
      } else if (key == "ResponseCode") {
        if (auto code = number_of(field.value())) {
          plugin.response_code = static_cast<int>(*code);
        }
      } else if (key == "ResponseStartDateTime") {
        // A timestamp in epoch seconds, or an ISO string from other encoders.
        od::value value = field.value();
        plugin.started = number_of(value).has_value() || text_of(value).has_value();
      } else if (key == "ResponseFinishDateTime") {
        plugin.finished = epoch_seconds_of(field.value());
      }
    }
    return plugin;  // the rest of the list is skipped
  }
  return plugin;
}

void finish(ListedRow& row, Plugin plugin) {
  auto& seen = row.seen;
  row.finished = plugin.finished;
  if (!plugin.present) {
    // Without the plugin there is no output to read: only a run that ended has one.
    seen.complete = seen.invocation.status != "Success" && seen.invocation.status != "Failed";
    return;
  }
  seen.invocation.response_code = plugin.response_code;
  seen.invocation.started = plugin.started;
  const auto mark = plugin.output.find(kStderrMark);
  if (mark == std::string::npos) {
    // Fewer bytes than the limit's characters: nothing was cut.
    seen.complete = plugin.output.size() < kSsmListedOutputLimit;
    seen.invocation.stdout_content = std::move(plugin.output);
  } else {
    seen.invocation.stdout_content = plugin.output.substr(0, mark);
    seen.invocation.stderr_content = plugin.output.substr(mark + kStderrMark.size());
  }
}

}  // namespace

InvocationsPage read_invocations_page(std::string_view body) {
  InvocationsPage page;
  read_answer("ListCommandInvocations", body, [&](std::string_view key, od::value value) {
    if (key == "NextToken") {
      assign_text(value, page.next_token);
    } else if (key == "CommandInvocations") {
      for_each_row(value, [&](od::object object) {
        auto& row = page.rows.emplace_back();
        Plugin plugin;
        for (od::field field : object) {
          const std::string_view name = field.unescaped_key();
          if (name == "InstanceId") {
            assign_text(field.value(), row.instance_id);
          } else if (name == "Status") {
            assign_text(field.value(), row.seen.invocation.status);
          } else if (name == "StatusDetails") {
            assign_text(field.value(), row.seen.invocation.status_details);
          } else if (name == "RequestedDateTime") {
            row.requested = epoch_seconds_of(field.value());
          } else if (name == "CommandPlugins") {
            plugin = read_first_plugin(field.value());
          }
        }
        finish(row, std::move(plugin));
      });
    }
  });
  return page;
}

CommandsPage read_commands_page(std::string_view body) {
  CommandsPage page;
  read_answer("ListCommands", body, [&](std::string_view key, od::value value) {
    if (key == "NextToken") {
      assign_text(value, page.next_token);
    } else if (key == "Commands") {
      for_each_row(value, [&](od::object object) {
        auto& row = page.commands.emplace_back();
        for (od::field field : object) {
          const std::string_view name = field.unescaped_key();
          if (name == "CommandId") {
            assign_text(field.value(), row.command_id);
          } else if (name == "CompletedCount") {
            if (auto count = number_of(field.value())) {
              row.completed = static_cast<int>(*count);
            }
          } else if (name == "ErrorCount" || name == "DeliveryTimedOutCount") {
            if (auto count = number_of(field.value())) {
              row.errors += static_cast<int>(*count);
            }
          }
        }
      });
    }
  });
  return page;
}

InstancesPage read_instances_page(std::string_view body) {
  InstancesPage page;
  read_answer("DescribeInstanceInformation", body, [&](std::string_view key, od::value value) {
    if (key == "NextToken") {
      assign_text(value, page.next_token);
    } else if (key == "InstanceInformationList") {
      for_each_row(value, [&](od::object object) {
        SsmInstanceInfo row;
        std::string platform_name;
        std::string platform_version;
        for (od::field field : object) {
          const std::string_view name = field.unescaped_key();
          if (name == "InstanceId") {
            assign_text(field.value(), row.instance_id);
          } else if (name == "PingStatus") {
            assign_text(field.value(), row.ping_status);
          } else if (name == "ComputerName") {
            assign_text(field.value(), row.computer_name);
          } else if (name == "PlatformName") {
            assign_text(field.value(), platform_name);
          } else if (name == "PlatformVersion") {
            assign_text(field.value(), platform_version);
          } else if (name == "AgentVersion") {
            assign_text(field.value(), row.agent_version);
          }
        }
        if (row.instance_id.empty()) {
          return;
        }
        row.platform = platform_name + " " + platform_version;
        page.instances.push_back(std::move(row));
      });
    }
  });
  return page;
}

SendCommandAnswer read_send_command_answer(std::string_view body) {
  SendCommandAnswer sent;
  read_answer("SendCommand", body, [&](std::string_view key, od::value value) {
    od::object command;
    if (key != "Command" || value.get_object().get(command) != simdjson::SUCCESS) {
      return;
    }
    for (od::field field : command) {
      const std::string_view name = field.unescaped_key();
      if (name == "CommandId") {
        assign_text(field.value(), sent.command_id);
      } else if (name == "RequestedDateTime") {
        sent.requested = epoch_seconds_of(field.value());
      }
    }
  });
  return sent;
}

}  // namespace drover::transport
