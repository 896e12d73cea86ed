// The lattice of NoiseTable: value (x, y) comes from Philox block y * 256 + x of stream "noise".
#include "data/procedural/noise.h"

#include "data/random_stream.h"

namespace dforge::data {

NoiseTable::NoiseTable(uint64_t seed) : values_(size_t(kPeriod) * kPeriod) {
  const uint64_t stream = stream_id({0x6E6F697365ull});  // "noise"
  for (size_t index = 0; index < values_.size(); ++index) {
    const philox::Block block = philox::block_for(seed, stream, index);
    values_[index] = float(philox::uniform53(block.word[0], block.word[1]) * 2.0 - 1.0);
  }
}

}  // namespace dforge::data
