// Escaping, base64 and fixed-point formatting for html_text.h.
#include "apps/report/html_text.h"

#include <cmath>
#include <cstdio>

namespace dforge::apps {

std::string escape_html(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string base64_encode(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string encoded;
  encoded.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t count = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = uint32_t(bytes[i]) << 16;
    if (count > 1) group |= uint32_t(bytes[i + 1]) << 8;
    if (count > 2) group |= uint32_t(bytes[i + 2]);
    for (size_t k = 0; k < 4; ++k)
      encoded += k <= count ? kAlphabet[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return encoded;
}

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // Rounding a small negative number gives "-0.0": drop the sign when only zeros follow it.
  if (text[0] == '-' && text.find_first_not_of("0.", 1) == std::string::npos) text.erase(0, 1);
  return text;
}

}  // namespace dforge::apps
