#include "models/seggan/image_pool.h"

#include "runtime/error.h"
#include "runtime/philox.h"
#include "runtime/shape_ops.h"

namespace dforge::models {

std::vector<Tensor> ImagePool::query(const std::vector<Tensor>& batch, Generator& generator) {
  DFORGE_CHECK(!batch.empty() && batch[0].ndim() >= 1, "ImagePool: an empty batch");
  if (capacity_ == 0) return batch;
  const int64_t n = batch[0].size(0);
  for (const Tensor& part : batch)
    DFORGE_CHECK(part.size(0) == n, "ImagePool: batch tensors of different sizes: ", batch[0].describe(),
                 " and ", part.describe());

  std::vector<std::vector<Tensor>> chosen(batch.size());
  for (int64_t i = 0; i < n; ++i) {
    std::vector<Tensor> entry;
    for (const Tensor& part : batch) entry.push_back(runtime::slice(part, 0, i, i + 1));
    std::vector<Tensor> out = entry;
    if (size() < capacity_) {
      entries_.push_back(entry);
    } else {
      // One Philox block per decision: word 0-1 the coin, word 2 the slot.
      const philox::Block block = philox::block_for(generator.seed(), generator.next_draw(), 0);
      if (philox::uniform53(block.word[0], block.word[1]) > 0.5) {
        const size_t slot = block.word[2] % uint32_t(capacity_);
        out = entries_[slot];
        entries_[slot] = entry;
      }
    }
    for (size_t part = 0; part < batch.size(); ++part) chosen[part].push_back(out[part]);
  }
  std::vector<Tensor> result;
  for (const auto& parts : chosen) result.push_back(runtime::cat(parts, 0));
  return result;
}

NamedTensors ImagePool::state_dict(const std::string& prefix) const {
  NamedTensors tensors;
  for (size_t e = 0; e < entries_.size(); ++e)
    for (size_t part = 0; part < entries_[e].size(); ++part)
      tensors.emplace_back(concat(prefix, e, '.', part), entries_[e][part].to(Device::cpu()));
  return tensors;
}

void ImagePool::load_state_dict(const NamedTensors& tensors, const std::string& prefix, Device device) {
  std::vector<std::vector<Tensor>> entries;
  for (const auto& [name, tensor] : tensors) {
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const size_t dot = rest.find('.');
    DFORGE_CHECK(dot != std::string::npos, "ImagePool: malformed pool tensor name '", name, "'");
    const size_t e = std::stoul(rest.substr(0, dot)), part = std::stoul(rest.substr(dot + 1));
    if (entries.size() <= e) entries.resize(e + 1);
    if (entries[e].size() <= part) entries[e].resize(part + 1);
    entries[e][part] = tensor.to(device);
  }
  DFORGE_CHECK(int(entries.size()) <= capacity_, "ImagePool: ", entries.size(),
               " stored entries exceed the capacity ", capacity_);
  entries_ = std::move(entries);
}

}  // namespace dforge::models
