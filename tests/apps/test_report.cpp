// apps/report: the HTML report's structure and escaping, the SVG chart (ticks, log axis,
// smoothing, determinism, no data), sample grids, and the progress bar's status text. The hidden
// test case at the end writes the sample reports that test_report_render.sh opens in Chromium.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "apps/commands/progress_bar.h"
#include "apps/report/html_report.h"
#include "apps/report/html_text.h"
#include "apps/report/image_grid.h"
#include "apps/report/svg_chart.h"
#include "runtime/error.h"
#include "runtime/io/image.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using namespace dforge::apps;
using Catch::Matchers::Contains;
using testing::read_bytes;
using testing::TemporaryDirectory;

namespace {

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// f32 [C, H, W] with values running from `low` to `high` over the elements.
Tensor ramp(int64_t channels, int64_t height, int64_t width, double low, double high) {
  const int64_t count = channels * height * width;
  std::vector<double> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) values[size_t(i)] = low + (high - low) * double(i) / double(count - 1);
  return Tensor::from_values(values, {channels, height, width});
}

std::vector<Series> loss_series() {
  return {{"G <total>", {0, 10, 20, 30}, {1.2, 0.9, NAN, 0.7}}, {"D", {0, 10, 20, 30}, {0.5, 0.45, 0.4, INFINITY}}};
}

// A report with one of everything; `image_paths` are embedded in order.
HtmlReport sample_report(const std::vector<std::string>& image_paths) {
  HtmlReport report("seggan <demo> & friends");
  report.heading("Samples");
  report.paragraph("Rows are samples; <script>alert(1)</script> stays text.");
  for (const std::string& path : image_paths) report.image(path, "grid \"" + path + "\"");
  report.heading("Losses");
  report.line_chart(loss_series(), {.title = "Losses", .x_label = "step", .y_label = "loss", .smoothing = 0.6});
  report.table({"metric", "inside mask", "outside mask"}, {{"L1", "0.125", "0.031"}, {"SSIM", "0.91", "97.5%"}},
               "Metrics");
  report.key_values("Timings", {{"total", "12.5 s"}, {"per step", "41 ms"}});
  report.preformatted("{\"lambda_clip\": 10, \"model\": \"seggan\"}");
  return report;
}

}  // namespace

TEST_CASE("report: escape_html, base64 and format_fixed", "[report]") {
  CHECK(escape_html("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  const auto encode = [](const std::string& text) {
    return base64_encode({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  };
  CHECK(encode("") == "");
  CHECK(encode("f") == "Zg==");
  CHECK(encode("fo") == "Zm8=");
  CHECK(encode("foo") == "Zm9v");
  CHECK(encode("foobar") == "Zm9vYmFy");
  CHECK(format_fixed(-0.04, 1) == "0.0");
  CHECK(format_fixed(2.25, 2) == "2.25");
}

TEST_CASE("report: nice_ticks steps by 1, 2 or 5 and covers the interval", "[report][chart]") {
  CHECK(nice_ticks(0, 1) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
  CHECK(nice_ticks(-3, 47) == std::vector<double>{-10, 0, 10, 20, 30, 40, 50});
  CHECK(nice_ticks(0, 1000) == std::vector<double>{0, 200, 400, 600, 800, 1000});
  const std::vector<double> single = nice_ticks(5, 5);  // one value: widened around it
  CHECK(single.front() < 5);
  CHECK(single.back() > 5);
}

TEST_CASE("report: the line chart draws each series, skips non-finite points, is deterministic", "[report][chart]") {
  const ChartOptions options{.title = "Losses", .x_label = "step", .y_label = "loss"};
  const std::string svg = svg_line_chart(loss_series(), options);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(count_of(svg, "<polyline class=\"series\"") == 2);
  CHECK_THAT(svg, Contains("data-series=\"G &lt;total&gt;\""));  // escaped name
  CHECK_THAT(svg, Contains(">step</text>"));
  CHECK_THAT(svg, !Contains("nan") && !Contains("inf"));
  CHECK_THAT(svg, !Contains("(log)"));  // 0.4 .. 1.2 spans no decades
  CHECK(svg == svg_line_chart(loss_series(), options));

  const std::string smoothed = svg_line_chart(loss_series(), {.title = "Losses", .smoothing = 0.9});
  CHECK(count_of(smoothed, "<polyline class=\"raw\"") == 2);
  CHECK(count_of(smoothed, "<polyline class=\"series\"") == 2);
}

TEST_CASE("report: the chart uses a log axis when values span decades", "[report][chart]") {
  const std::vector<Series> decaying{{"lr", {1, 2, 3, 4}, {1, 1e-2, 1e-4, 1e-6}}};
  const std::string automatic = svg_line_chart(decaying, {.y_label = "lr"});
  CHECK_THAT(automatic, Contains("lr (log)"));
  CHECK_THAT(automatic, Contains(">1e-6</text>"));
  CHECK_THAT(svg_line_chart(decaying, {.y_label = "lr", .y_scale = YScale::linear}), !Contains("(log)"));
  // Non-positive values cannot go on a log axis: automatic stays linear.
  CHECK_THAT(svg_line_chart({{"wgan", {1, 2, 3}, {-5, 1e-3, 10}}}, {.y_label = "d"}), !Contains("(log)"));
}

TEST_CASE("report: a chart without drawable points says so; bad series are refused", "[report][chart]") {
  CHECK_THAT(svg_line_chart({}, {.title = "empty"}), Contains("no data"));
  CHECK_THAT(svg_line_chart({{"G", {}, {}}, {"D", {1}, {NAN}}}, {}), Contains("no data"));
  CHECK_THAT(svg_line_chart({{"G", {3}, {0.5}}}, {}), Contains("<circle"));  // one point: a marker
  CHECK_THROWS_WITH(svg_line_chart({{"G", {1, 2}, {1}}}, {.title = "Losses"}),
                    Contains("Losses") && Contains("'G'") && Contains("2 x values but 1 y values"));
  CHECK_THROWS_WITH(svg_line_chart({}, {.smoothing = 1.0}), Contains("smoothing"));
}

TEST_CASE("report: image grid lays out cells, splits 4 channels into RGB and backlight", "[report][grid]") {
  // Row 0: RGB, mask, RGB + backlight (two columns). Row 1: a smaller gray cell, a mask, a blank cell.
  const Tensor rgb = Tensor::full({3, 4, 5}, 1.0), mask = Tensor::full({1, 4, 5}, -1.0);
  Tensor fabric = Tensor::full({4, 4, 5}, 0.0);
  for (int64_t i = 0; i < 20; ++i) fabric.data<float>()[3 * 20 + i] = 1.0f;  // backlight = 1
  const Tensor grid =
      compose_image_grid({{rgb, mask, fabric}, {ramp(1, 3, 3, -1, 1), mask, Tensor()}}, {.signed_range = true, .gap = 2});
  REQUIRE(grid.shape() == Shape{3, 2 + 2 * (4 + 2), 2 + 4 * (5 + 2)});
  const float* pixels = grid.data<float>();
  const auto at = [&](int64_t channel, int64_t y, int64_t x) { return pixels[(channel * 14 + y) * 30 + x]; };
  CHECK(at(0, 0, 0) == Approx(0.2));   // gap
  CHECK(at(1, 2, 2) == Approx(1.0));   // RGB 1 -> 1
  CHECK(at(2, 2, 9) == Approx(0.0));   // mask -1 -> 0, gray in every channel
  CHECK(at(0, 2, 16) == Approx(0.5));  // fabric RGB 0 -> 0.5 in signed range
  CHECK(at(0, 2, 23) == Approx(1.0));  // backlight column
  CHECK(at(0, 8, 2) == Approx(0.0));   // ramp starts at -1
  CHECK(at(0, 10, 4) == Approx(1.0));  // and ends at 1
  CHECK(at(0, 11, 2) == Approx(0.2));  // the 3x3 cell sits top left in its 4x5 slot
  CHECK(at(0, 8, 5) == Approx(0.2));
  CHECK(at(0, 8, 16) == Approx(0.2));  // blank cell

  TemporaryDirectory directory;
  write_image_grid(directory.file("grid.png"), {{rgb, mask}});
  CHECK(io::read_image(directory.file("grid.png")).shape() == Shape{3, 8, 16});
  CHECK_THROWS_WITH(compose_image_grid({{rgb, Tensor::zeros({5, 4, 5})}}), Contains("row 0, column 1"));
}

TEST_CASE("report: the written report is one escaped, self-contained file", "[report]") {
  TemporaryDirectory directory;
  io::write_image(directory.file("a.png"), ramp(3, 8, 8, 0, 1));
  io::write_image(directory.file("b.png"), ramp(1, 8, 16, 0, 1));
  sample_report({directory.file("a.png"), directory.file("b.png")}).write(directory.file("report.html"));
  const std::string html = read_bytes(directory.file("report.html"));

  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(html, Contains("<title>seggan &lt;demo&gt; &amp; friends</title>"));
  CHECK_THAT(html, Contains("&lt;script&gt;alert(1)&lt;/script&gt; stays text"));
  CHECK_THAT(html, !Contains("<script>alert"));
  CHECK(count_of(html, "src=\"data:image/png;base64,iVBORw0KGgo") == 2);  // one data: URI per image
  CHECK(count_of(html, "data:") == 2);
  CHECK_THAT(html, Contains("width=\"32\" height=\"32\""));  // small images shown 4x
  CHECK_THAT(html, Contains("width=\"64\" height=\"32\""));
  CHECK(count_of(html, "<svg") == 1);
  CHECK(count_of(html, "<polyline class=\"series\"") == 2);
  CHECK_THAT(html, Contains("<td class=\"num\">97.5%</td>"));
  CHECK_THAT(html, Contains("<td>SSIM</td>"));
  CHECK_THAT(html, Contains("<caption>Timings</caption>"));
  CHECK_THAT(html, Contains("{&quot;lambda_clip&quot;: 10"));
  // Nothing external: no links, no fetched resources (the SVG namespace is a name, not a fetch).
  CHECK_THAT(html, !Contains("src=\"http") && !Contains("href=") && !Contains("url("));
  CHECK(directory.entries() == std::vector<std::string>{"a.png", "b.png", "report.html"});
}

TEST_CASE("report: a missing image is an error naming it, and no report is written", "[report]") {
  TemporaryDirectory directory;
  const std::string missing = directory.file("missing.png"), output = directory.file("report.html");
  const auto build_and_write = [&] { sample_report({missing}).write(output); };
  CHECK_THROWS_AS(build_and_write(), Error);
  CHECK_THROWS_WITH(build_and_write(), Contains("missing.png"));
  CHECK_FALSE(std::filesystem::exists(output));
  CHECK_THROWS_WITH(HtmlReport("r").image(directory.file("notes.txt"), ""), Contains("notes.txt"));
}

TEST_CASE("report: the progress bar shows a status after the ETA, cut only on a terminal", "[report][progress]") {
  const ProgressBar bar("train", "step");
  const std::string line = bar.line(50, 100, 10.0, "G 0.512 D 0.231");
  CHECK(line == "train [###############...............] 50/100  5.0 step/s  ETA 10s  G 0.512 D 0.231");
  CHECK(bar.line(100, 100, 20.0, "") == "train [##############################] 100/100  5.0 step/s  in 20s");
  CHECK(fit_to_width(line, 20) == line.substr(0, 19));
  CHECK(fit_to_width(line, 0) == line);
  CHECK(fit_to_width("short", 80) == "short");
}

// Hidden ([.]): run by tests/apps/test_report_render.sh, which sets DFORGE_REPORT_SAMPLE_DIR.
// Writes good.html (a sample grid and a plain image) and broken.html (one image that is no PNG).
TEST_CASE("report: sample reports for the rendering test", "[.report-sample]") {
  const char* directory = std::getenv("DFORGE_REPORT_SAMPLE_DIR");
  REQUIRE(directory != nullptr);
  const std::string grid = std::string(directory) + "/grid.png", plain = std::string(directory) + "/plain.png",
                    corrupt = std::string(directory) + "/corrupt.png";
  write_image_grid(grid, {{ramp(3, 16, 16, -1, 1), ramp(1, 16, 16, 1, -1), ramp(4, 16, 16, -1, 1)}},
                   {.signed_range = true});
  io::write_image(plain, ramp(3, 24, 24, 0, 1));
  testing::write_bytes(corrupt, "\x89PNG\r\n\x1a\n this is not an image");
  sample_report({grid, plain}).write(std::string(directory) + "/good.html");
  sample_report({grid, corrupt}).write(std::string(directory) + "/broken.html");
}
