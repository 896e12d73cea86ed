// StepBatches: the batch a training step uses, as a function of the step number alone. Step s
// takes batch (s mod b) of epoch (s div b), b = full batches per epoch (the last, smaller batch is
// dropped so every step sees the same batch size). Because the loader is deterministic per
// (seed, epoch) (data/loader.h), a run resumed at step s reads exactly the batches the
// uninterrupted run would have: it starts epoch s div b and passes over its first s mod b batches.
#pragma once

#include <memory>

#include "data/loader.h"

namespace dforge::apps {

class StepBatches {
 public:
  // `what` names the stream in errors ("normal images").
  StepBatches(std::shared_ptr<const data::Dataset> dataset, data::TransformOptions transforms,
              data::LoaderOptions options, std::string what);

  // The batch of `step`; cheapest when called with consecutive steps.
  data::Batch at(int64_t step);

 private:
  data::Loader loader_;
  std::string what_;
  int64_t per_epoch_ = 0;
  int64_t next_step_ = -1;  // the step the loader's next batch belongs to; -1: not positioned
};

}  // namespace dforge::apps
