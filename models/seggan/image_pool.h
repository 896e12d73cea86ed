// ImagePool: CycleGAN's history of generated images (Shrivastava et al. 2017; MODELS.md "Image
// pool"). The discriminator sees, half of the time, an older fake instead of the newest one, which
// damps the oscillation of the two players. Until the pool is full every fake is stored and
// returned; afterwards each fake is, with probability 1/2, swapped for a random stored one (which
// it replaces), and otherwise returned as is.
//
// An entry is a list of tensors that belong together -- for D_y the fake image and its patch
// weights -- so an old image always comes back with its own mask weighting. The pool's contents go
// into checkpoints, so a resumed run draws exactly what the uninterrupted one would have.
#pragma once

#include <string>
#include <vector>

#include "runtime/random.h"
#include "runtime/tensor.h"

namespace dforge::models {

class ImagePool {
 public:
  explicit ImagePool(int capacity) : capacity_(capacity) {}

  // `batch`: tensors of equal leading size N (entry i is their i-th slices). Returns tensors of the
  // same shapes, mixing stored entries in as described above. Capacity 0 returns `batch`.
  std::vector<Tensor> query(const std::vector<Tensor>& batch, Generator& generator);

  int size() const { return int(entries_.size()); }

  // "<prefix><entry>.<part>" tensors (on the CPU); load replaces the contents, placed on `device`.
  NamedTensors state_dict(const std::string& prefix) const;
  void load_state_dict(const NamedTensors& tensors, const std::string& prefix, Device device);

 private:
  int capacity_;
  std::vector<std::vector<Tensor>> entries_;  // each entry: one [1, ...] slice per batch tensor
};

}  // namespace dforge::models
