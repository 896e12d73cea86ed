// ExitStatus: thrown by a command that has finished cleanly but must end the process with a
// particular exit code (130 after Ctrl-C, as shells expect), once every destructor has run.
#pragma once

#include <exception>

namespace dforge::apps {

struct ExitStatus : std::exception {
  explicit ExitStatus(int code) : code(code) {}
  const char* what() const noexcept override { return "exit"; }
  int code;
};

}  // namespace dforge::apps
