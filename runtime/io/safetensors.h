// Safetensors files (the HuggingFace format) for checkpoints, state dicts and parity data:
//   8 bytes: N, the header length, unsigned little-endian
//   N bytes: a JSON object {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
//            ..., "__metadata__": {"key": "value", ...}}, possibly padded with trailing spaces
//   the data buffer; a tensor's bytes are buffer[begin, end), little-endian, row-major.
// Loading: F32, F64, I32 and U8 load as themselves; F16 and BF16 load as f32 (exactly: every half
// and bfloat16 value is an f32 value); I64 loads as i32 and throws if a value does not fit. Loaded
// tensors live on the CPU and are listed in the header's order. Any malformed file throws one
// dforge::Error line naming the file and the problem.
// Saving: f32, f64, i32, u8 as F32, F64, I32, U8, in the given order, packed back to back, header
// padded with spaces to a multiple of 8 bytes; tensors on the GPU are copied to the host first. The
// file is written atomically (runtime/io/atomic_file.h): a failed save leaves the old file intact.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/tensor.h"

namespace dforge::io {

struct TensorFile {
  NamedTensors tensors;                         // in the file's header order
  std::map<std::string, std::string> metadata;  // the "__metadata__" object
  std::string path;                             // where it was loaded from, named in errors

  // The tensor called `name`; throws naming the file and the tensor when there is none.
  const Tensor& get(const std::string& name) const;
  bool contains(const std::string& name) const;
};

TensorFile load_safetensors(const std::string& path);

// Throws (before touching the file) on an undefined tensor, a duplicate name or the reserved name
// "__metadata__".
void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace dforge::io
