// The run report (runs/<name>/report.html): one self-contained HTML file a quality engineer opens
// in any browser, offline, or receives by mail. Images are embedded as base64 data: URIs, charts
// are inline SVG, the CSS is inline; nothing is fetched from anywhere. All text is HTML-escaped.
//
// A small script (not needed for the content) counts on load how many images decoded and marks
// <body data-images-ok="N" data-images-broken="M">, showing a warning banner when M > 0; the
// rendering test (tests/apps/test_report_render.sh) reads these back from headless Chromium.
//
//   HtmlReport report("seggan demo");
//   report.heading("Samples");
//   report.image("runs/demo/samples/step_1000.png", "input / mask / output, step 1000");
//   report.line_chart({{"G", steps, g_losses}, {"D", steps, d_losses}}, {.title = "Losses", ...});
//   report.write("runs/demo/report.html");
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "apps/report/svg_chart.h"

namespace dforge::apps {

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);  // the page's <title> and <h1>

  void heading(const std::string& text);    // starts a section (<h2>)
  void paragraph(const std::string& text);  // <p>
  // Embeds the image file (PNG, JPEG, GIF, BMP or SVG, by extension) with a caption. Small PNGs are
  // shown enlarged by an integer factor with pixelated scaling. Reads the file now: a missing or
  // unreadable file throws dforge::Error naming it, and the report is left unchanged.
  void image(const std::string& path, const std::string& caption);
  // A table; cells that are numbers (optionally with a trailing %) are right-aligned.
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
             const std::string& caption = "");
  void line_chart(const std::vector<Series>& series, const ChartOptions& options);  // see svg_chart.h
  // A two-column name / value table, for the config summary and timings.
  void key_values(const std::string& caption, const std::vector<std::pair<std::string, std::string>>& items);
  void preformatted(const std::string& text);  // <pre>, e.g. the config JSON

  // The complete document.
  std::string html() const;
  // Writes html() to `path` atomically (runtime/io/atomic_file.h): never a half-written report.
  void write(const std::string& path) const;

 private:
  std::string title_;
  std::string body_;  // the HTML of everything added so far, in order
};

}  // namespace dforge::apps
