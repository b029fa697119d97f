// Replays fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput once on every regular file
// of the directories (or files) given, in name order, so the GCC ASan+UBSan build (ctest label
// fuzz-replay) checks each harness against its seed corpus. A crash, a sanitizer report or an
// escaping exception ends the process as it would under libFuzzer; the input being run is
// printed first so the failure names it.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const fs::path& root) {
  std::vector<fs::path> inputs;
  if (fs::is_regular_file(root)) {
    inputs.push_back(root);
    return inputs;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path root(argv[i]);
    if (!fs::exists(root)) {
      std::fprintf(stderr, "%s: %s does not exist\n", argv[0], argv[i]);
      return 2;
    }
    for (const auto& input : inputs_of(root)) {
      const std::string bytes = read_bytes(input);
      std::fprintf(stderr, "replaying %s (%zu bytes)\n", input.c_str(), bytes.size());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "%s: no inputs found: an empty corpus checks nothing\n", argv[0]);
    return 1;
  }
  std::printf("%zu inputs replayed, no failure\n", replayed);
  return 0;
}
