#include "apps/training/step_batches.h"

#include "runtime/error.h"

namespace dforge::apps {

StepBatches::StepBatches(std::shared_ptr<const data::Dataset> dataset, data::TransformOptions transforms,
                         data::LoaderOptions options, std::string what)
    : loader_(dataset, transforms, [&] {
        options.drop_last = true;
        return options;
      }()),
      what_(std::move(what)) {
  per_epoch_ = loader_.batches_per_epoch();
  DFORGE_CHECK(per_epoch_ > 0, what_, ": ", dataset->size(), " samples are fewer than one batch of ",
               options.batch_size);
}

data::Batch StepBatches::at(int64_t step) {
  if (step != next_step_) {
    loader_.start_epoch(step / per_epoch_);
    for (int64_t skip = 0; skip < step % per_epoch_; ++skip) loader_.next();
  } else if (step % per_epoch_ == 0) {
    loader_.start_epoch(step / per_epoch_);
  }
  std::optional<data::Batch> batch = loader_.next();
  DFORGE_CHECK(batch.has_value(), what_, ": epoch ", step / per_epoch_, " ended early (skipped files?)");
  next_step_ = step + 1;
  return std::move(*batch);
}

}  // namespace dforge::apps
