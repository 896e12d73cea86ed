// time_torch_seggan: runs bench/seggan_torch.py with the configured Python (DFORGE_PYTHON, CMake) and
// reads its JSON line.
#include "apps/bench/torch_seggan.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runtime/error.h"

namespace dforge::apps {
namespace {

constexpr const char* kPython = DFORGE_PYTHON;

std::string script_path() { return std::string(DFORGE_SOURCE_DIR) + "/bench/seggan_torch.py"; }

std::string command_line(const SegganBenchCase& bench_case) {
  std::ostringstream command;
  command << "OMP_NUM_THREADS=" << bench_case.threads << ' ' << kPython << " '" << script_path() << "'"
          << " --device " << (bench_case.device.is_cuda() ? "cuda" : "cpu") << " --size " << bench_case.size
          << " --batch " << bench_case.batch << " --steps " << bench_case.steps << " --warmup " << bench_case.warmup
          << " --threads " << bench_case.threads << " --gen " << bench_case.generator << " 2>&1";
  return command.str();
}

std::string last_line(const std::string& text) {
  std::istringstream lines(text);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace

TorchStepTiming time_torch_seggan(const SegganBenchCase& bench_case) {
  TorchStepTiming result;
  if (!std::filesystem::exists(kPython)) {
    result.note = concat(kPython, " not found");
    return result;
  }
  FILE* pipe = popen(command_line(bench_case).c_str(), "r");
  if (!pipe) {
    result.note = concat("cannot start ", kPython);
    return result;
  }
  std::string output;
  std::array<char, 4096> buffer;
  while (size_t read = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), read);
  const int status = pclose(pipe);
  const std::string line = last_line(output);
  if (status != 0 || line.empty() || line.front() != '{') {
    result.note = concat(script_path(), " failed (status ", WIFEXITED(status) ? WEXITSTATUS(status) : status,
                         "): ", line.empty() ? "no output" : line);
    return result;
  }
  const nlohmann::json record = nlohmann::json::parse(line);
  StepTiming timing;
  timing.seconds_per_step = record.at("seconds_per_step").get<double>();
  timing.steps_per_second = record.at("steps_per_second").get<double>();
  timing.peak_bytes = record.at("peak_bytes").get<size_t>();
  result.timing = timing;
  result.version = record.at("torch").get<std::string>();
  return result;
}

}  // namespace dforge::apps
