// What every model trainer's checkpoint shares: tensors saved under a prefix ("G.", "optim.D."),
// the metadata keys read back with a message naming the file when one is missing, and a random
// stream saved as "seed draws". SegganTrainer and DefectganTrainer both write through these.
#pragma once

#include <map>
#include <string>

#include "runtime/io/safetensors.h"
#include "runtime/random.h"

namespace dforge::models {

using Metadata = std::map<std::string, std::string>;

// Appends `tensors` to `out`, each name prefixed and each tensor copied to the CPU.
void append_prefixed(NamedTensors& out, const std::string& prefix, const NamedTensors& tensors);

// The tensors of `tensors` whose names start with `prefix`, with the prefix removed.
NamedTensors strip_prefix(const NamedTensors& tensors, const std::string& prefix);

// metadata[key]; throws "<source>: not a <model> checkpoint (no '<key>' in its metadata)".
const std::string& metadata_field(const Metadata& metadata, const std::string& key, const std::string& model,
                                  const std::string& source);
// Throws unless metadata["model"] is `model`.
void check_model(const Metadata& metadata, const std::string& model, const std::string& source);

std::string generator_state(const Generator& generator);  // "seed draws"
void restore_generator_state(Generator& generator, const std::string& state, const std::string& source);

}  // namespace dforge::models
