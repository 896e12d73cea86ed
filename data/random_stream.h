// RandomStream: the numbers one image (or one sample, one transform) draws, in order. The k-th
// Philox block of stream (seed, stream) is philox(seed, offset = stream, index = k), so what an
// image looks like depends only on its own identity -- never on the thread that renders it or on
// the order in which images are made. stream_id() folds a list of labels (surface, split, index,
// purpose) into one 64-bit stream number.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "runtime/philox.h"

namespace dforge::data {

// SplitMix64 finaliser (Steele et al. 2014): a bijective mix, so distinct label lists give
// well-separated stream numbers.
inline uint64_t mix64(uint64_t value) {
  value += 0x9E3779B97F4A7C15ull;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
  return value ^ (value >> 31);
}

inline uint64_t stream_id(std::initializer_list<uint64_t> labels) {
  uint64_t state = 0x6A09E667F3BCC908ull;
  for (uint64_t label : labels) state = mix64(state ^ mix64(label));
  return state;
}

class RandomStream {
 public:
  RandomStream(uint64_t seed, uint64_t stream) : seed_(seed), stream_(stream) {}

  philox::Block block() { return philox::block_for(seed_, stream_, counter_++); }
  double uniform() {
    const philox::Block next = block();
    return philox::uniform53(next.word[0], next.word[1]);
  }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() { return philox::standard_normal(block()); }
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  // An integer in [0, count); count >= 1.
  int64_t integer(int64_t count) { return int64_t(uniform() * double(count)) % count; }
  int64_t integer(int64_t low, int64_t high) { return low + integer(high - low + 1); }  // [low, high]
  bool chance(double probability) { return uniform() < probability; }
  // An independent stream for a named part of this one's work (a defect, a transform step).
  RandomStream fork(uint64_t label) const { return RandomStream(seed_, stream_id({stream_, label})); }

  uint64_t seed() const { return seed_; }
  uint64_t stream() const { return stream_; }

 private:
  uint64_t seed_;
  uint64_t stream_;
  uint64_t counter_ = 0;
};

}  // namespace dforge::data
