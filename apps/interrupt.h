// InterruptGuard: while alive, Ctrl-C (SIGINT) and SIGTERM set a flag instead of killing the
// process, so a training loop can finish its step and save a checkpoint. A second Ctrl-C kills as
// usual (the handler is restored after the first), for when saving hangs.
#pragma once

namespace dforge::apps {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  bool requested() const;
};

}  // namespace dforge::apps
