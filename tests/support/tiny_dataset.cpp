#include "tests/support/tiny_dataset.h"

#include "data/procedural/datagen.h"

namespace dforge::testing {

std::string tiny_dataset(const TemporaryDirectory& directory, const TinyDataset& dataset) {
  data::DatagenOptions options;
  options.out = directory.file("data");
  options.surfaces = dataset.surfaces;
  options.normal = dataset.normal;
  options.defective = dataset.defective;
  options.size = dataset.size;
  options.seed = dataset.seed;
  data::generate_dataset(options);
  return options.out;
}

}  // namespace dforge::testing
