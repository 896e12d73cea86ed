// Text that goes into HTML or SVG: escaping, and numbers formatted the same on every machine (the
// report and its charts must be byte-identical for identical input, whatever the locale).
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace dforge::apps {

// Replaces & < > " ' with character references, so any text is safe in element content and in
// quoted attribute values.
std::string escape_html(const std::string& text);

// RFC 4648 base64 (with '=' padding), for data: URIs.
std::string base64_encode(std::span<const uint8_t> bytes);

// `value` with `decimals` digits after the point, never "-0" and never a locale's comma.
std::string format_fixed(double value, int decimals);

}  // namespace dforge::apps
