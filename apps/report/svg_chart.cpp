// The SVG line chart of svg_chart.h. Layout, left to right: y tick labels, the plot area, the
// legend; top to bottom: title, plot area, x tick labels and x label. Data coordinates map to
// pixels linearly (after log10 on a log axis); every number is printed with a fixed format so the
// output is deterministic.
#include "apps/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "apps/report/html_text.h"
#include "runtime/error.h"

namespace dforge::apps {
namespace {

// Tableau 10: distinct hues that stay distinguishable for most colour-blind readers.
constexpr const char* kColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
constexpr int kLeft = 70, kRight = 170, kTop = 34, kBottom = 52;  // margins around the plot area

struct Point { double x, y; };

// A series as drawn: its finite points (y already log10'd on a log axis), raw and smoothed.
struct DrawnSeries {
  std::string name;
  std::vector<Point> raw, smoothed;  // smoothed is empty without smoothing
};

// One axis: data interval [low, high] onto pixels [pixel_low, pixel_high], and its ticks.
struct Axis {
  double low, high, pixel_low, pixel_high;
  std::vector<double> ticks;
  bool log = false;
  double to_pixel(double value) const {
    return pixel_low + (value - low) / (high - low) * (pixel_high - pixel_low);
  }
};

std::string px(double value) { return format_fixed(value, 1); }

std::vector<Point> exponential_moving_average(const std::vector<Point>& points, double weight) {
  std::vector<Point> smoothed;
  smoothed.reserve(points.size());
  double average = points.empty() ? 0.0 : points.front().y;
  for (const Point& point : points) {
    average = weight * average + (1 - weight) * point.y;
    smoothed.push_back({point.x, average});
  }
  return smoothed;
}

bool use_log_scale(const std::vector<Series>& series, YScale scale) {
  if (scale != YScale::automatic) return scale == YScale::log;
  double lowest = INFINITY, highest = -INFINITY;
  for (const Series& one : series)
    for (size_t i = 0; i < one.ys.size(); ++i) {
      if (!std::isfinite(one.xs[i]) || !std::isfinite(one.ys[i])) continue;
      if (one.ys[i] <= 0) return false;
      lowest = std::min(lowest, one.ys[i]);
      highest = std::max(highest, one.ys[i]);
    }
  return std::isfinite(lowest) && highest / lowest >= 1000;
}

std::vector<DrawnSeries> drawable_points(const std::vector<Series>& series, bool log_y, double smoothing) {
  std::vector<DrawnSeries> drawn;
  for (const Series& one : series) {
    DrawnSeries result{one.name, {}, {}};
    for (size_t i = 0; i < one.xs.size(); ++i) {
      const double y = log_y ? (one.ys[i] > 0 ? std::log10(one.ys[i]) : NAN) : one.ys[i];
      if (std::isfinite(one.xs[i]) && std::isfinite(y)) result.raw.push_back({one.xs[i], y});
    }
    if (smoothing > 0) result.smoothed = exponential_moving_average(result.raw, smoothing);
    drawn.push_back(std::move(result));
  }
  return drawn;
}

// Decimal places that tell ticks `step` apart: step 0.05 -> 2, step 5 -> 0.
int decimals_for(double step) { return std::max(0, -int(std::floor(std::log10(step) + 1e-9))); }

std::string tick_label(double value, const Axis& axis) {
  if (axis.log) {
    const int exponent = int(std::lround(value));
    if (exponent >= -3 && exponent <= 4) return format_fixed(std::pow(10.0, exponent), std::max(0, -exponent));
    return "1e" + std::to_string(exponent);
  }
  const double step = axis.ticks.size() > 1 ? axis.ticks[1] - axis.ticks[0] : 1.0;
  if (step >= 1e6 || step < 1e-4) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
    return buffer;
  }
  return format_fixed(value, decimals_for(step));
}

// Integer powers of ten covering [low, high] (exponents), at most about seven of them.
std::vector<double> decade_ticks(double low, double high) {
  const int first = int(std::floor(low)), last = std::max(int(std::ceil(high)), first + 1);
  const int stride = std::max(1, (last - first + 5) / 6);
  std::vector<double> ticks;
  for (int exponent = first; exponent < last + stride; exponent += stride) ticks.push_back(exponent);
  return ticks;
}

Axis make_axis(double low, double high, double pixel_low, double pixel_high, bool log) {
  Axis axis{0, 0, pixel_low, pixel_high, log ? decade_ticks(low, high) : nice_ticks(low, high), log};
  axis.low = axis.ticks.front();
  axis.high = axis.ticks.back();
  return axis;
}

std::string polyline(const std::vector<Point>& points, const Axis& x, const Axis& y, const std::string& attributes) {
  std::string text = "<polyline " + attributes + " fill=\"none\" points=\"";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i > 0) text += ' ';
    text += px(x.to_pixel(points[i].x)) + "," + px(y.to_pixel(points[i].y));
  }
  return text + "\"/>\n";
}

void draw_axes(std::ostringstream& svg, const Axis& x, const Axis& y, const ChartOptions& options) {
  const std::string left = px(x.pixel_low), right = px(x.pixel_high), top = px(y.pixel_high),
                    bottom = px(y.pixel_low);
  for (const double tick : x.ticks) {
    const std::string at = px(x.to_pixel(tick));
    svg << "<line class=\"grid\" x1=\"" << at << "\" y1=\"" << top << "\" x2=\"" << at << "\" y2=\"" << bottom
        << "\" stroke=\"#e4e4e4\"/>\n<text x=\"" << at << "\" y=\"" << px(y.pixel_low + 16)
        << "\" text-anchor=\"middle\">" << escape_html(tick_label(tick, x)) << "</text>\n";
  }
  for (const double tick : y.ticks) {
    const std::string at = px(y.to_pixel(tick));
    svg << "<line class=\"grid\" x1=\"" << left << "\" y1=\"" << at << "\" x2=\"" << right << "\" y2=\"" << at
        << "\" stroke=\"#e4e4e4\"/>\n<text x=\"" << px(x.pixel_low - 6) << "\" y=\"" << px(y.to_pixel(tick) + 4)
        << "\" text-anchor=\"end\">" << escape_html(tick_label(tick, y)) << "</text>\n";
  }
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << px(x.pixel_high - x.pixel_low)
      << "\" height=\"" << px(y.pixel_low - y.pixel_high) << "\" fill=\"none\" stroke=\"#888\"/>\n";
  svg << "<text x=\"" << px((x.pixel_low + x.pixel_high) / 2) << "\" y=\"" << options.height - 10
      << "\" text-anchor=\"middle\">" << escape_html(options.x_label) << "</text>\n";
  const std::string middle = px((y.pixel_low + y.pixel_high) / 2);
  svg << "<text x=\"16\" y=\"" << middle << "\" text-anchor=\"middle\" transform=\"rotate(-90 16 " << middle
      << ")\">" << escape_html(options.y_label + (y.log ? " (log)" : "")) << "</text>\n";
}

void draw_series_and_legend(std::ostringstream& svg, const std::vector<DrawnSeries>& drawn, const Axis& x,
                            const Axis& y) {
  for (size_t i = 0; i < drawn.size(); ++i) {
    const std::string colour = kColours[i % std::size(kColours)];
    const std::string name = escape_html(drawn[i].name);
    const bool smoothed = !drawn[i].smoothed.empty();
    const std::string stroke = "stroke=\"" + colour + "\" data-series=\"" + name + "\"";
    if (smoothed) svg << polyline(drawn[i].raw, x, y, "class=\"raw\" " + stroke + " stroke-opacity=\"0.25\"");
    svg << polyline(smoothed ? drawn[i].smoothed : drawn[i].raw, x, y,
                    "class=\"series\" " + stroke + " stroke-width=\"1.8\"");
    if (drawn[i].raw.size() == 1)  // a lone point draws no line: mark it
      svg << "<circle cx=\"" << px(x.to_pixel(drawn[i].raw[0].x)) << "\" cy=\"" << px(y.to_pixel(drawn[i].raw[0].y))
          << "\" r=\"3\" fill=\"" << colour << "\"/>\n";
    const double legend_x = x.pixel_high + 16, legend_y = y.pixel_high + 10 + 18 * double(i);
    svg << "<line x1=\"" << px(legend_x) << "\" y1=\"" << px(legend_y) << "\" x2=\"" << px(legend_x + 18)
        << "\" y2=\"" << px(legend_y) << "\" stroke=\"" << colour << "\" stroke-width=\"3\"/>\n<text x=\""
        << px(legend_x + 24) << "\" y=\"" << px(legend_y + 4) << "\">" << name << "</text>\n";
  }
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target_count) {
  DFORGE_CHECK(std::isfinite(low) && std::isfinite(high) && low <= high && target_count > 0,
               "nice_ticks: need a finite interval low <= high and target_count > 0, got [", low, ", ", high,
               "], ", target_count);
  if (high - low <= std::abs(low) * 1e-12) {  // one value: widen to show it in the middle
    const double half_span = low != 0 ? std::abs(low) * 0.1 : 1.0;
    low -= half_span;
    high += half_span;
  }
  const double rough_step = (high - low) / target_count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough_step)));
  const double fraction = rough_step / magnitude;
  const double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
  const auto first = int64_t(std::floor(low / step + 1e-9)), last = int64_t(std::ceil(high / step - 1e-9));
  std::vector<double> ticks;
  for (int64_t k = first; k <= std::max(last, first + 1); ++k) ticks.push_back(double(k) * step);
  return ticks;
}

std::string svg_line_chart(const std::vector<Series>& series, const ChartOptions& options) {
  for (const Series& one : series)
    DFORGE_CHECK(one.xs.size() == one.ys.size(), "svg_line_chart '", options.title, "': series '", one.name,
                 "' has ", one.xs.size(), " x values but ", one.ys.size(), " y values");
  DFORGE_CHECK(options.smoothing >= 0 && options.smoothing < 1, "svg_line_chart '", options.title,
               "': smoothing must be in [0, 1), got ", options.smoothing);
  const bool log_y = use_log_scale(series, options.y_scale);
  const std::vector<DrawnSeries> drawn = drawable_points(series, log_y, options.smoothing);

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << options.width << "\" height=\""
      << options.height << "\" viewBox=\"0 0 " << options.width << " " << options.height
      << "\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"" << escape_html(options.title)
      << "\">\n<text x=\"" << options.width / 2 << "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\""
      << " font-weight=\"bold\">" << escape_html(options.title) << "</text>\n";

  double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
  for (const DrawnSeries& one : drawn)
    for (const Point& point : one.raw) {
      x_low = std::min(x_low, point.x), x_high = std::max(x_high, point.x);
      y_low = std::min(y_low, point.y), y_high = std::max(y_high, point.y);
    }
  if (!std::isfinite(x_low)) {
    svg << "<text class=\"no-data\" x=\"" << options.width / 2 << "\" y=\"" << options.height / 2
        << "\" text-anchor=\"middle\" fill=\"#888\">no data</text>\n</svg>\n";
    return svg.str();
  }
  const Axis x = make_axis(x_low, x_high, kLeft, options.width - kRight, false);
  const Axis y = make_axis(y_low, y_high, options.height - kBottom, kTop, log_y);
  draw_axes(svg, x, y, options);
  draw_series_and_legend(svg, drawn, x, y);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace dforge::apps
