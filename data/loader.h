// Loader: batches of transformed samples, prepared by worker threads ahead of the training step.
//
// Determinism: an epoch visits the dataset in a Philox permutation of (seed, epoch) (all indices
// in order when shuffle is off), and sample i's transforms draw from stream (seed, epoch, i). What
// a batch holds is a function of (dataset, transforms, seed, epoch) alone -- the same for 0, 1 or
// 8 workers and for any prefetch depth -- because results are placed by their position in the
// epoch, never by the order in which threads finish.
//
// Threads: `workers` threads claim positions in epoch order and load + transform them into a ring
// of prefetch_batches * batch_size slots; next() takes finished slots in order and stacks them.
// Workers never run more than the ring ahead of the consumer, so memory stays bounded. With 0
// workers next() does the work itself.
//
// Bad files: a sample whose file fails to decode (after passing the dataset's header check)
// throws from next() with OnBad::fail; with OnBad::skip it is left out of its batch -- the batch
// is filled from the following samples, so batches stay full -- and counted in the dataset's
// skipped_count(). Transform errors (a crop larger than an image) always throw.
//
// Batches are CPU tensors; when a CUDA backend exists they are the place to use pinned memory.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "data/dataset.h"
#include "data/transforms.h"

namespace dforge::data {

struct LoaderOptions {
  int batch_size = 8;
  int workers = 2;           // 0: load on the calling thread
  int prefetch_batches = 4;  // how many batches the workers may prepare ahead
  bool shuffle = true;
  bool drop_last = false;    // drop an epoch's last, smaller batch
  uint64_t seed = 0;
};

struct Batch {
  Tensor images;                       // f32 [N, C, H, W]
  Tensor masks;                        // f32 [N, 1, H, W]; zeros where a sample has no mask
  Tensor labels;                       // i32 [N]: 0 normal, 1 defective
  std::vector<uint8_t> has_mask;       // per sample
  std::vector<std::string> products, defects, paths;
  int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

class Loader {
 public:
  Loader(std::shared_ptr<const Dataset> dataset, TransformOptions transforms, LoaderOptions options);
  ~Loader();
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Begins `epoch` (stopping whatever the workers were doing); next() starts epoch 0 by itself.
  void start_epoch(int64_t epoch);
  // The next batch of the current epoch, or nothing when the epoch is over. Throws on a bad file
  // (OnBad::fail), a transform error, or samples of different shapes in one batch.
  std::optional<Batch> next();

  int64_t epoch() const { return epoch_; }
  // Batches in an epoch when no sample is skipped.
  int64_t batches_per_epoch() const;
  // The dataset indices in the order `epoch` visits them.
  std::vector<int64_t> epoch_order(int64_t epoch) const;

 private:
  struct Slot {
    int64_t position = -1;
    bool ready = false;
    std::optional<Sample> sample;   // empty when skipped or failed
    std::exception_ptr error;       // a failure to report
    std::string skipped_path, skipped_reason;
  };

  void stop_workers();
  void work();
  Slot produce(int64_t position) const;
  Slot take(int64_t position);
  Batch stack(const std::vector<Sample>& samples) const;

  std::shared_ptr<const Dataset> dataset_;
  TransformOptions transforms_;
  LoaderOptions options_;
  int64_t epoch_ = -1;
  std::vector<int64_t> order_;
  std::vector<Slot> slots_;
  int64_t next_claim_ = 0;  // the next position a worker will take
  int64_t consumed_ = 0;    // the next position next() will take
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable room_;   // signalled when a slot is freed
  std::condition_variable filled_; // signalled when a slot is ready
  std::vector<std::thread> threads_;
};

}  // namespace dforge::data
