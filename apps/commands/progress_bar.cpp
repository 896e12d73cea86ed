// The progress bar of progress_bar.h. Rate = items / elapsed seconds; ETA = remaining / rate.
#include "apps/commands/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace dforge::apps {

ProgressBar::ProgressBar(std::string label, std::string unit, int64_t already_done)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_),
      already_done_(already_done),
      terminal_(::isatty(STDERR_FILENO) != 0) {}

void ProgressBar::update(int64_t done, int64_t total, const std::string& status) {
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
  if (drawn_ && now - last_draw_ < interval && done < total) return;
  last_draw_ = now;
  draw(done, total, status);
}

void ProgressBar::finish(int64_t done, int64_t total, const std::string& status) {
  if (terminal_) {
    draw(done, total, status);
    std::fputc('\n', stderr);
  } else if (last_done_ != done) {
    draw(done, total, status);
  }
  std::fflush(stderr);
}

std::string ProgressBar::line(int64_t done, int64_t total, double elapsed, const std::string& status) const {
  constexpr int kWidth = 30;
  const double fraction = total > 0 ? double(done) / double(total) : 1.0;
  const int filled = int(fraction * kWidth);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(kWidth - filled), '.');
  const double rate = elapsed > 0 ? double(done - already_done_) / elapsed : 0.0;
  const double remaining = rate > 0 ? double(total - done) / rate : 0.0;
  char text[512];
  std::snprintf(text, sizeof text, "%s [%s] %lld/%lld  %.1f %s/s  %s %.0fs", label_.c_str(), bar.c_str(),
                (long long)done, (long long)total, rate, unit_.c_str(), done < total ? "ETA" : "in",
                done < total ? remaining : elapsed);
  return status.empty() ? std::string(text) : std::string(text) + "  " + status;
}

void ProgressBar::draw(int64_t done, int64_t total, const std::string& status) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string text = line(done, total, elapsed, status);
  drawn_ = true;
  last_done_ = done;
  if (!terminal_) {
    std::fprintf(stderr, "%s\n", text.c_str());
    return;
  }
  const int columns = terminal_columns();
  // Blank what is left of a longer previous line (a shorter status), without passing the width.
  if (text.size() < last_length_) text.append(last_length_ - text.size(), ' ');
  text = fit_to_width(text, columns);
  last_length_ = text.size();
  std::fprintf(stderr, "\r%s", text.c_str());
  std::fflush(stderr);
}

std::string fit_to_width(const std::string& text, int columns) {
  if (columns <= 0 || text.size() < size_t(columns)) return text;
  return text.substr(0, size_t(std::max(columns - 1, 0)));
}

int terminal_columns() {
  if (!::isatty(STDERR_FILENO)) return 0;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int value = std::atoi(columns);
    if (value > 0) return value;
  }
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace dforge::apps
