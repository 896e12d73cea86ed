// A one-line progress bar on stderr: "[#####.....]  540/1100  210.3 /s  ETA 3s  G 0.512 D 0.231",
// redrawn in place with a carriage return at most ten times a second, finished with a newline. The
// optional status text (set with each update, e.g. the current losses) follows the ETA. On a
// terminal the line is cut to its width (COLUMNS, else the TIOCGWINSZ ioctl) so it never wraps;
// redirected to a file or pipe it is written whole.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dforge::apps {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::string unit);
  // Shows `done` of `total` and `status`; cheap to call often.
  void update(int64_t done, int64_t total, const std::string& status = "");
  // Draws the final state and ends the line.
  void finish(int64_t done, int64_t total, const std::string& status = "");

  // The text of the line (without the carriage return), `elapsed` seconds after the start.
  std::string line(int64_t done, int64_t total, double elapsed, const std::string& status) const;

 private:
  void draw(int64_t done, int64_t total, const std::string& status);
  std::string label_, unit_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
  size_t last_length_ = 0;  // of the line drawn last, to blank what a shorter line leaves behind
};

// `text` cut to `columns` - 1 characters (the last column is left free so no terminal wraps), or
// unchanged when `columns` <= 0 (not a terminal).
std::string fit_to_width(const std::string& text, int columns);

// The width of the terminal on stderr, or 0 when stderr is not a terminal.
int terminal_columns();

}  // namespace dforge::apps
