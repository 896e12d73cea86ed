#include "apps/training/run_folder.h"

#include <filesystem>

#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {
namespace fs = std::filesystem;

std::string run_checkpoint_path(const std::string& run) { return (fs::path(run) / "checkpoint.safetensors").string(); }

std::string check_run_folder(const std::string& run, bool resume, const std::string& what) {
  const std::string checkpoint = run_checkpoint_path(run);
  const bool has_checkpoint = fs::exists(checkpoint);
  DFORGE_CHECK(resume || !has_checkpoint, run, " already holds ", what,
               "; pass --resume to continue it, or choose another --out");
  DFORGE_CHECK(!resume || has_checkpoint, "--resume: no checkpoint at ", checkpoint);
  return checkpoint;
}

nlohmann::json checkpoint_config(const io::TensorFile& checkpoint, const std::string& what) {
  auto found = checkpoint.metadata.find("config");
  DFORGE_CHECK(found != checkpoint.metadata.end(), checkpoint.path, ": not a ", what, " checkpoint (no config)");
  return nlohmann::json::parse(found->second);
}

void write_run_config(const std::string& run, const nlohmann::json& config) {
  fs::create_directories(run);
  io::write_file_atomically((fs::path(run) / "config.json").string(),
                            [&](std::ostream& out) { out << config.dump(2) << "\n"; });
}

}  // namespace dforge::apps
