// dforge::Error and the DFORGE_CHECK macro: every failure in the engine is an exception whose
// message names the op and the offending shapes, dtypes, files or values. The command line turns
// it into one line on stderr and exit code 2.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace dforge {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Streams every argument into one string: concat("conv2d: got ", 3, " channels").
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream stream;
  (stream << ... << parts);
  return stream.str();
}

}  // namespace dforge

// Throws dforge::Error with the concatenated message when `condition` is false. The message parts
// are only evaluated on failure.
#define DFORGE_CHECK(condition, ...)                          \
  do {                                                        \
    if (!(condition)) throw ::dforge::Error(::dforge::concat(__VA_ARGS__)); \
  } while (0)
