// LossLog: RUN/losses.csv, one row per training step ("step,<loss names...>"). Rows are appended
// and flushed as they come, so the curve survives a crash; on resume the rows after the
// checkpoint's step are cut away, so the file again describes exactly one run.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace dforge::apps {

class LossLog {
 public:
  // Opens `path` for appending after keeping its rows with step <= keep_through (none when -1);
  // writes the header when the file is new or empty.
  LossLog(std::string path, std::vector<std::string> columns, int64_t keep_through);
  ~LossLog();
  LossLog(const LossLog&) = delete;
  LossLog& operator=(const LossLog&) = delete;

  void append(int64_t step, const std::vector<double>& values);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  size_t columns_;
};

// Reads a loss log back: column names (without "step") and rows (step first).
struct LossTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
};
LossTable read_loss_log(const std::string& path);

}  // namespace dforge::apps
