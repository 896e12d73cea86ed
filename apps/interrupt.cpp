#include "apps/interrupt.h"

#include <atomic>
#include <csignal>

namespace dforge::apps {
namespace {

std::atomic<bool> interrupt_requested{false};
void (*previous_sigint)(int) = SIG_DFL;
void (*previous_sigterm)(int) = SIG_DFL;

extern "C" void on_interrupt(int signal) {
  interrupt_requested.store(true);
  std::signal(signal, SIG_DFL);  // the next one ends the process
}

}  // namespace

InterruptGuard::InterruptGuard() {
  interrupt_requested.store(false);
  previous_sigint = std::signal(SIGINT, on_interrupt);
  previous_sigterm = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, previous_sigint);
  std::signal(SIGTERM, previous_sigterm);
}

bool InterruptGuard::requested() const { return interrupt_requested.load(); }

}  // namespace dforge::apps
