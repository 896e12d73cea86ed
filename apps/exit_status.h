// ExitStatus: thrown by a command that has finished cleanly but must end the process with a
// particular exit code (130 after Ctrl-C, as shells expect), once every destructor has run.
#pragma once

#include <cstdio>
#include <exception>
#include <string>

namespace dforge::apps {

struct ExitStatus : std::exception {
  explicit ExitStatus(int code) : code(code) {}
  const char* what() const noexcept override { return "exit"; }
  int code;
};

// Ends a long command that stopped on Ctrl-C after saving its work: `message` (one line that says
// how to continue) on stderr, then exit code 130 like the single training commands.
[[noreturn]] inline void stop_interrupted(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  throw ExitStatus(130);
}

}  // namespace dforge::apps
