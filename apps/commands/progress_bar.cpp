// The progress bar of progress_bar.h. Rate = items / elapsed seconds; ETA = remaining / rate.
#include "apps/commands/progress_bar.h"

#include <cstdio>

namespace dforge::apps {

ProgressBar::ProgressBar(std::string label, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::update(int64_t done, int64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total) return;
  last_draw_ = now;
  draw(done, total);
}

void ProgressBar::finish(int64_t done, int64_t total) {
  draw(done, total);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void ProgressBar::draw(int64_t done, int64_t total) {
  constexpr int kWidth = 30;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total > 0 ? double(done) / double(total) : 1.0;
  const int filled = int(fraction * kWidth);
  std::string bar(size_t(filled), '#');
  bar.append(size_t(kWidth - filled), '.');
  const double rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  const double remaining = rate > 0 ? double(total - done) / rate : 0.0;
  std::fprintf(stderr, "\r%s [%s] %lld/%lld  %.1f %s/s  %s %.0fs   ", label_.c_str(), bar.c_str(), (long long)done,
               (long long)total, rate, unit_.c_str(), done < total ? "ETA" : "in", done < total ? remaining : elapsed);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace dforge::apps
