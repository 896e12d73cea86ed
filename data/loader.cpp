// The threaded loader of loader.h.
#include "data/loader.h"

#include <algorithm>
#include <cstring>

#include "data/random_stream.h"
#include "runtime/error.h"

namespace dforge::data {

namespace {

constexpr uint64_t kOrderLabel = 0x6F72646572ull;   // "order"
constexpr uint64_t kSampleLabel = 0x73616D706Cull;  // "sampl"

}  // namespace

Loader::Loader(std::shared_ptr<const Dataset> dataset, TransformOptions transforms, LoaderOptions options)
    : dataset_(std::move(dataset)), transforms_(std::move(transforms)), options_(options) {
  DFORGE_CHECK(dataset_ != nullptr, "loader: no dataset");
  DFORGE_CHECK(options_.batch_size >= 1, "loader: batch_size ", options_.batch_size, " must be at least 1");
  DFORGE_CHECK(options_.workers >= 0, "loader: workers ", options_.workers, " must not be negative");
  DFORGE_CHECK(options_.prefetch_batches >= 1, "loader: prefetch_batches ", options_.prefetch_batches,
               " must be at least 1");
}

Loader::~Loader() { stop_workers(); }

int64_t Loader::batches_per_epoch() const {
  const int64_t samples = dataset_->size(), batch = options_.batch_size;
  return options_.drop_last ? samples / batch : (samples + batch - 1) / batch;
}

std::vector<int64_t> Loader::epoch_order(int64_t epoch) const {
  std::vector<int64_t> order(size_t(dataset_->size()));
  for (size_t i = 0; i < order.size(); ++i) order[i] = int64_t(i);
  if (options_.shuffle && order.size() > 1) {
    // Fisher-Yates: each of the n! orders equally likely given uniform draws.
    RandomStream stream(options_.seed, stream_id({kOrderLabel, uint64_t(epoch)}));
    for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[size_t(stream.integer(int64_t(i) + 1))]);
  }
  return order;
}

void Loader::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  room_.notify_all();
  filled_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  stopping_ = false;
}

void Loader::start_epoch(int64_t epoch) {
  stop_workers();
  epoch_ = epoch;
  order_ = epoch_order(epoch);
  slots_.assign(size_t(options_.prefetch_batches) * size_t(options_.batch_size), Slot{});
  next_claim_ = 0;
  consumed_ = 0;
  const int workers = int(std::min<int64_t>(options_.workers, int64_t(order_.size())));
  for (int worker = 0; worker < workers; ++worker) threads_.emplace_back([this] { work(); });
}

Loader::Slot Loader::produce(int64_t position) const {
  Slot slot;
  slot.position = position;
  const int64_t index = order_[size_t(position)];
  Sample sample;
  try {
    sample = dataset_->load(index);
  } catch (const Error& error) {
    if (dataset_->options().on_bad == OnBad::skip) {
      slot.skipped_path = dataset_->entry(index).image_path;
      slot.skipped_reason = error.what();
    } else {
      slot.error = std::current_exception();
    }
    return slot;
  } catch (...) {
    slot.error = std::current_exception();
    return slot;
  }
  try {
    const RandomStream stream(options_.seed, stream_id({kSampleLabel, uint64_t(epoch_), uint64_t(index)}));
    slot.sample = apply_transforms(std::move(sample), transforms_, stream);
  } catch (...) {
    slot.error = std::current_exception();
  }
  return slot;
}

void Loader::work() {
  const int64_t total = int64_t(order_.size());
  const int64_t window = int64_t(slots_.size());
  while (true) {
    int64_t position = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [&] { return stopping_ || next_claim_ >= total || next_claim_ < consumed_ + window; });
      if (stopping_ || next_claim_ >= total) return;
      position = next_claim_++;
    }
    Slot slot = produce(position);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slot.ready = true;
      slots_[size_t(position % window)] = std::move(slot);
    }
    filled_.notify_all();
  }
}

Loader::Slot Loader::take(int64_t position) {
  if (threads_.empty()) return produce(position);
  const int64_t window = int64_t(slots_.size());
  Slot slot;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    Slot& waiting = slots_[size_t(position % window)];
    filled_.wait(lock, [&] { return waiting.ready && waiting.position == position; });
    slot = std::move(waiting);
    waiting = Slot{};
    ++consumed_;
  }
  room_.notify_all();
  return slot;
}

std::optional<Batch> Loader::next() {
  if (epoch_ < 0) start_epoch(0);
  const int64_t total = int64_t(order_.size());
  std::vector<Sample> samples;
  while (int64_t(samples.size()) < options_.batch_size && consumed_ < total) {
    const int64_t position = consumed_;
    Slot slot = take(position);
    if (threads_.empty()) ++consumed_;
    if (slot.error) std::rethrow_exception(slot.error);
    if (!slot.sample) {
      dataset_->note_skipped_at_load(slot.skipped_path, slot.skipped_reason);
      continue;
    }
    samples.push_back(std::move(*slot.sample));
  }
  if (samples.empty()) return std::nullopt;
  if (int64_t(samples.size()) < options_.batch_size && options_.drop_last) return std::nullopt;
  return stack(samples);
}

Batch Loader::stack(const std::vector<Sample>& samples) const {
  const Shape& shape = samples.front().image.shape();
  for (const Sample& sample : samples)
    DFORGE_CHECK(sample.image.shape() == shape, "loader: ", sample.path, " gives a sample of shape ",
                 shape_str(sample.image.shape()), ", the batch's first (", samples.front().path, ") is ",
                 shape_str(shape), "; add a crop or a resize");
  const int64_t count = int64_t(samples.size()), height = shape[1], width = shape[2];
  Batch batch;
  batch.images = Tensor::empty({count, shape[0], height, width});
  // Filled here rather than by Tensor::zeros: the runtime's fill is an OpenMP loop, whose idle
  // threads would then spin against the loader's own workers on a small machine.
  batch.masks = Tensor::empty({count, 1, height, width});
  std::fill(batch.masks.data<float>(), batch.masks.data<float>() + batch.masks.numel(), 0.0f);
  batch.labels = Tensor::empty({count}, DType::i32);
  const size_t image_floats = size_t(numel_of(shape)), mask_floats = size_t(height) * size_t(width);
  for (int64_t i = 0; i < count; ++i) {
    const Sample& sample = samples[size_t(i)];
    std::memcpy(batch.images.data<float>() + size_t(i) * image_floats, sample.image.data<float>(),
                image_floats * sizeof(float));
    if (sample.mask.defined())
      std::memcpy(batch.masks.data<float>() + size_t(i) * mask_floats, sample.mask.data<float>(),
                  mask_floats * sizeof(float));
    batch.labels.data<int32_t>()[i] = sample.label;
    batch.has_mask.push_back(sample.mask.defined() ? 1 : 0);
    batch.products.push_back(sample.product);
    batch.defects.push_back(sample.defect);
    batch.paths.push_back(sample.path);
  }
  return batch;
}

}  // namespace dforge::data
