// The HTML report of html_report.h: each call appends escaped HTML to the body; html() wraps it in
// a page with the inline style sheet and the image check script.
#include "apps/report/html_report.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "apps/report/html_text.h"
#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::apps {
namespace {

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; line-height: 1.45;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { border-bottom: 2px solid #ddd; padding-bottom: .2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #eee; padding-bottom: .1em; }
figure { margin: 1em 0; }
figcaption { color: #555; font-size: .9em; margin-top: .3em; }
img { image-rendering: pixelated; max-width: 100%; height: auto; border: 1px solid #ccc; }
svg.chart { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 1em 0; }
caption { text-align: left; font-weight: 600; padding: .3em 0; }
th, td { padding: .25em .8em; border-bottom: 1px solid #e3e3e3; text-align: left; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; padding: 1em; overflow: auto; font-size: .85em; }
.warning { background: #fde8e8; border: 1px solid #c00; color: #900; padding: .5em 1em; }
)";

// Counts decoded and broken images once everything has loaded (see html_report.h).
constexpr const char* kImageCheck = R"(
window.addEventListener('load', function () {
  var ok = 0, broken = 0;
  for (var i = 0; i < document.images.length; ++i) {
    var image = document.images[i];
    if (image.complete && image.naturalWidth > 0) ++ok; else ++broken;
  }
  document.body.setAttribute('data-images-ok', ok);
  document.body.setAttribute('data-images-broken', broken);
  if (broken > 0) {
    var banner = document.getElementById('image-warning');
    banner.textContent = broken + ' image(s) in this report could not be displayed.';
    banner.hidden = false;
  }
});
)";

std::string lowercase_extension(const std::string& path) {
  const size_t dot = path.find_last_of('.');
  std::string extension = dot == std::string::npos ? "" : path.substr(dot + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension;
}

std::string mime_type_of(const std::string& path) {
  const std::string extension = lowercase_extension(path);
  if (extension == "png") return "image/png";
  if (extension == "jpg" || extension == "jpeg") return "image/jpeg";
  if (extension == "gif") return "image/gif";
  if (extension == "bmp") return "image/bmp";
  if (extension == "svg") return "image/svg+xml";
  throw Error(concat("report: image '", path, "' is not a .png, .jpg, .gif, .bmp or .svg file"));
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  DFORGE_CHECK(stream, "report: cannot read image '", path, "': ", std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  DFORGE_CHECK(!stream.bad(), "report: error reading image '", path, "'");
  return bytes;
}

// width="..." height="..." for a PNG, enlarged by an integer factor (up to 4) towards 768 pixels
// wide so small sample grids are visible; empty for other formats or a malformed header.
std::string display_size(const std::vector<uint8_t>& bytes) {
  static constexpr uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() < 24 || !std::equal(std::begin(kSignature), std::end(kSignature), bytes.begin()) ||
      std::memcmp(bytes.data() + 12, "IHDR", 4) != 0)
    return "";
  const auto big_endian = [&](size_t at) {
    return int64_t(bytes[at]) << 24 | int64_t(bytes[at + 1]) << 16 | int64_t(bytes[at + 2]) << 8 | bytes[at + 3];
  };
  const int64_t width = big_endian(16), height = big_endian(20);
  if (width <= 0 || height <= 0) return "";
  const int64_t scale = std::clamp<int64_t>(768 / width, 1, 4);
  return concat(" width=\"", width * scale, "\" height=\"", height * scale, "\"");
}

// A number, possibly with a trailing %: "0.512", "-3e-4", "97.5%".
bool looks_numeric(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  const std::string rest(end);
  return end != text.c_str() && (rest.empty() || rest == "%");
}

std::string table_html(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const std::string& caption, const std::string& css_class) {
  std::string html = "<table class=\"" + css_class + "\">\n";
  if (!caption.empty()) html += "<caption>" + escape_html(caption) + "</caption>\n";
  if (!header.empty()) {
    html += "<thead><tr>";
    for (const std::string& cell : header) html += "<th>" + escape_html(cell) + "</th>";
    html += "</tr></thead>\n";
  }
  html += "<tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    html += "<tr>";
    for (const std::string& cell : row)
      html += (looks_numeric(cell) ? "<td class=\"num\">" : "<td>") + escape_html(cell) + "</td>";
    html += "</tr>\n";
  }
  return html + "</tbody>\n</table>\n";
}

}  // namespace

HtmlReport::HtmlReport(std::string title) : title_(std::move(title)) {}

void HtmlReport::heading(const std::string& text) { body_ += "<h2>" + escape_html(text) + "</h2>\n"; }

void HtmlReport::paragraph(const std::string& text) { body_ += "<p>" + escape_html(text) + "</p>\n"; }

void HtmlReport::image(const std::string& path, const std::string& caption) {
  const std::string mime_type = mime_type_of(path);
  const std::vector<uint8_t> bytes = read_file(path);
  body_ += "<figure>\n<img src=\"data:" + mime_type + ";base64," + base64_encode(bytes) + "\" alt=\"" +
           escape_html(caption) + "\"" + display_size(bytes) + ">\n<figcaption>" + escape_html(caption) +
           "</figcaption>\n</figure>\n";
}

void HtmlReport::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       const std::string& caption) {
  body_ += table_html(header, rows, caption, "data");
}

void HtmlReport::line_chart(const std::vector<Series>& series, const ChartOptions& options) {
  body_ += "<figure>\n" + svg_line_chart(series, options) + "</figure>\n";
}

void HtmlReport::key_values(const std::string& caption,
                            const std::vector<std::pair<std::string, std::string>>& items) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [key, value] : items) rows.push_back({key, value});
  body_ += table_html({}, rows, caption, "key-values");
}

void HtmlReport::preformatted(const std::string& text) { body_ += "<pre>" + escape_html(text) + "</pre>\n"; }

std::string HtmlReport::html() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         escape_html(title_) + "</title>\n<style>" + kStyle + "</style>\n<script>" + kImageCheck +
         "</script>\n</head>\n<body>\n<div id=\"image-warning\" class=\"warning\" hidden></div>\n<h1>" +
         escape_html(title_) + "</h1>\n" + body_ + "</body>\n</html>\n";
}

void HtmlReport::write(const std::string& path) const {
  const std::string document = html();
  io::write_file_atomically(path, [&](std::ostream& out) { out << document; });
}

}  // namespace dforge::apps
