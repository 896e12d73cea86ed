#include "apps/training/loss_log.h"

#include <fstream>
#include <sstream>

#include "runtime/error.h"

namespace dforge::apps {
namespace {

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, ',');) fields.push_back(field);
  return fields;
}

}  // namespace

LossLog::LossLog(std::string path, std::vector<std::string> columns, int64_t keep_through)
    : path_(std::move(path)), columns_(columns.size()) {
  std::string header = "step";
  for (const std::string& column : columns) header += "," + column;

  std::vector<std::string> kept;
  if (keep_through >= 0) {
    std::ifstream in(path_);
    std::string line;
    if (std::getline(in, line)) {
      DFORGE_CHECK(line == header, path_, ": its columns '", line, "' are not '", header, "'");
      while (std::getline(in, line))
        if (!line.empty() && std::stoll(line) <= keep_through) kept.push_back(line);
    }
  }
  file_ = std::fopen(path_.c_str(), "w");
  DFORGE_CHECK(file_ != nullptr, path_, ": cannot write the loss log");
  std::fprintf(file_, "%s\n", header.c_str());
  for (const std::string& line : kept) std::fprintf(file_, "%s\n", line.c_str());
  std::fflush(file_);
}

LossLog::~LossLog() {
  if (file_) std::fclose(file_);
}

void LossLog::append(int64_t step, const std::vector<double>& values) {
  DFORGE_CHECK(values.size() == columns_, path_, ": ", values.size(), " values for ", columns_, " columns");
  std::fprintf(file_, "%lld", static_cast<long long>(step));
  for (double value : values) std::fprintf(file_, ",%.6g", value);
  std::fprintf(file_, "\n");
  std::fflush(file_);
}

LossTable read_loss_log(const std::string& path) {
  std::ifstream in(path);
  DFORGE_CHECK(in.good(), path, ": cannot read the loss log");
  LossTable table;
  std::string line;
  DFORGE_CHECK(std::getline(in, line), path, ": empty loss log");
  table.columns = split_csv(line);
  DFORGE_CHECK(!table.columns.empty() && table.columns[0] == "step", path, ": not a loss log (no 'step' column)");
  table.columns.erase(table.columns.begin());
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    for (const std::string& field : split_csv(line)) row.push_back(std::stod(field));
    DFORGE_CHECK(row.size() == table.columns.size() + 1, path, ": a row with ", row.size(), " fields");
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace dforge::apps
