// A one-line progress bar on stderr: "[#####.....]  540/1100  210.3 /s  ETA 3s", redrawn in place
// with a carriage return at most ten times a second, finished with a newline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dforge::apps {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit);
  // Shows `done` of `total`; cheap to call often.
  void update(int64_t done, int64_t total);
  // Draws the final state and ends the line.
  void finish(int64_t done, int64_t total);

 private:
  void draw(int64_t done, int64_t total);
  std::string label_, unit_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

}  // namespace dforge::apps
