// A deploy journal as `history`, `show` and `--resume` read it (core/journal_replay.h): a
// journal that is torn, edited or not a journal at all is a JournalError, never a crash, and
// every line that reads as a record writes back to a line that reads as the same record
// (journal_record.h's invariant).
#include <cstdint>

#include "core/journal_record.h"
#include "core/journal_replay.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drover;
  const auto text = fuzz::as_text(data, size);
  try {
    const auto replay = core::replay_journal(text);
    fuzz::require(replay.succeeded_hosts.size() <= replay.hosts.size(),
                  "every succeeded host has a record");
    (void)replay.hosts_to_resume();
  } catch (const core::JournalError&) {
  }
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    try {
      const auto record = core::parse_journal_line(line);
      fuzz::require(core::parse_journal_line(core::to_journal_line(record)) == record,
                    "parse_journal_line(to_journal_line(r)) == r");
    } catch (const core::JournalError&) {
    }
  }
  return 0;
}
