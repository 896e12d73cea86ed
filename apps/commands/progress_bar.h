// A one-line progress bar on stderr: "[#####.....]  540/1100  210.3 /s  ETA 3s  G 0.512 D 0.231",
// redrawn in place with a carriage return at most ten times a second, finished with a newline. The
// optional status text (set with each update, e.g. the current losses) follows the ETA. On a
// terminal the line is cut to its width (COLUMNS, else the TIOCGWINSZ ioctl) so it never wraps.
// Redirected to a file or pipe (a CI log) it writes whole lines instead, at most one every ten
// seconds plus the final one, so a long run leaves a readable log rather than megabytes of \r.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dforge::apps {

class ProgressBar {
 public:
  // `already_done`: items finished before this bar started (a resumed run): they are shown but not
  // counted in the rate and the ETA.
  ProgressBar(std::string label, std::string unit, int64_t already_done = 0);
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
  int64_t already_done_ = 0;
  bool drawn_ = false;
  bool terminal_ = false;   // stderr is a TTY: redraw in place
  int64_t last_done_ = -1;  // of the line drawn last
  size_t last_length_ = 0;  // of the line drawn last, to blank what a shorter line leaves behind
};

// `text` cut to `columns` - 1 characters (the last column is left free so no terminal wraps), or
// unchanged when `columns` <= 0 (not a terminal).
std::string fit_to_width(const std::string& text, int columns);

// The width of the terminal on stderr, or 0 when stderr is not a terminal.
int terminal_columns();

}  // namespace dforge::apps
