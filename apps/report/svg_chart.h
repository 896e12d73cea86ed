// An inline SVG line chart for the HTML report: loss curves and metrics over training steps.
// Several series in distinct colours with a legend, axes with "nice" ticks (1-2-5 steps, or powers
// of ten on a log axis) and labels, optional exponential-moving-average smoothing for noisy GAN
// losses (the raw series drawn faint under the smoothed one). Non-finite points are skipped (and
// non-positive ones on a log axis); no drawable point at all gives a chart with a "no data" note.
// Pure function of its input: the same series and options give the same bytes.
#pragma once

#include <string>
#include <vector>

namespace dforge::apps {

struct Series {
  std::string name;
  std::vector<double> xs, ys;  // same length; points are drawn in the given order
};

enum class YScale { linear, log, automatic };  // automatic: log when all y > 0 and max/min >= 1000

struct ChartOptions {
  std::string title = "", x_label = "", y_label = "";
  YScale y_scale = YScale::automatic;
  // EMA weight in [0, 1): smoothed_i = w * smoothed_(i-1) + (1 - w) * y_i (TensorBoard's slider).
  // 0 draws the raw series only.
  double smoothing = 0.0;
  int width = 720, height = 340;  // pixels, legend included
};

// The chart as one <svg> element. Each series is a <polyline class="series" data-series="name">
// (and a faint <polyline class="raw"> under it when smoothing). Throws dforge::Error when a
// series' xs and ys differ in length or smoothing is outside [0, 1).
std::string svg_line_chart(const std::vector<Series>& series, const ChartOptions& options);

// Tick values covering [low, high]: multiples of 1, 2 or 5 x 10^k, about `target_count` of them,
// the first <= low and the last >= high. Public for the tests.
std::vector<double> nice_ticks(double low, double high, int target_count = 5);

}  // namespace dforge::apps
