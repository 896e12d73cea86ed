// Safetensors reading and writing; the format and the guarantees are in safetensors.h.
#include "runtime/io/safetensors.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "runtime/error.h"
#include "runtime/io/atomic_file.h"

namespace dforge::io {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host would need byte swapping");

namespace {

using Json = nlohmann::ordered_json;  // keeps the header's order, so tensors load in file order

constexpr const char* kMetadataKey = "__metadata__";

// The element types a file may hold, with their size in the file.
enum class StoredType { f32, f64, i32, u8, f16, bf16, i64 };

struct StoredTypeInfo {
  StoredType type;
  const char* name;
  size_t bytes;
};

constexpr std::array<StoredTypeInfo, 7> kStoredTypes = {{
    {StoredType::f32, "F32", 4},
    {StoredType::f64, "F64", 8},
    {StoredType::i32, "I32", 4},
    {StoredType::u8, "U8", 1},
    {StoredType::f16, "F16", 2},
    {StoredType::bf16, "BF16", 2},
    {StoredType::i64, "I64", 8},
}};

const StoredTypeInfo* find_stored_type(const std::string& name) {
  for (const StoredTypeInfo& info : kStoredTypes) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

const char* stored_name_of(DType dtype) {
  switch (dtype) {
    case DType::f32: return "F32";
    case DType::f64: return "F64";
    case DType::i32: return "I32";
    case DType::u8: return "U8";
  }
  return "?";
}

// IEEE 754 binary16 -> binary32: sign 1, exponent 5 (bias 15), mantissa 10 bits. Normal numbers
// re-bias the exponent (127 - 15 = 112) and widen the mantissa; subnormals are mantissa * 2^-24,
// exact in f32; infinities and NaNs keep their payload.
float float_from_half_bits(uint16_t half) {
  const uint32_t sign = uint32_t(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1Fu;
  const uint32_t mantissa = half & 0x3FFu;
  if (exponent == 0x1F) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
  if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  const float magnitude = std::ldexp(float(mantissa), -24);
  return sign ? -magnitude : magnitude;
}

// bfloat16 is the upper half of an f32.
float float_from_bfloat16_bits(uint16_t bfloat16) { return std::bit_cast<float>(uint32_t(bfloat16) << 16); }

// One tensor's header entry, validated.
struct Entry {
  std::string name;
  const StoredTypeInfo* type = nullptr;
  Shape shape;
  uint64_t begin = 0;
  uint64_t end = 0;
};

std::string offsets_str(const Entry& entry) { return concat("[", entry.begin, ", ", entry.end, "]"); }

// Reads and validates one file. Every error is "load_safetensors: <path>: <problem>".
class Loader {
 public:
  explicit Loader(const std::string& path) : path_(path) {}

  TensorFile load() {
    open();
    Json header = parse_header(read_header_text());
    TensorFile file;
    file.path = path_;
    std::vector<Entry> entries;
    for (const auto& [name, value] : header.items()) {
      if (name == kMetadataKey) {
        file.metadata = parse_metadata(value);
      } else {
        entries.push_back(parse_entry(name, value));
      }
    }
    check_no_overlap(entries);
    for (const Entry& entry : entries) file.tensors.emplace_back(entry.name, read_tensor(entry));
    return file;
  }

 private:
  template <typename... Parts>
  [[noreturn]] void fail(const Parts&... parts) const {
    throw Error(concat("load_safetensors: ", path_, ": ", parts...));
  }

  void open() {
    std::error_code error;
    if (!std::filesystem::exists(path_, error)) fail("no such file");
    if (std::filesystem::is_directory(path_, error)) fail("is a directory");
    stream_.open(path_, std::ios::binary);
    if (!stream_) fail("cannot open the file");
    file_size_ = std::filesystem::file_size(path_, error);
    if (error) fail("cannot read the file size (", error.message(), ")");
  }

  void read_exactly(void* destination, uint64_t offset, uint64_t bytes, const std::string& what) {
    stream_.seekg(std::streamoff(offset));
    stream_.read(static_cast<char*>(destination), std::streamsize(bytes));
    if (!stream_ || uint64_t(stream_.gcount()) != bytes) fail("read error in ", what);
  }

  std::string read_header_text() {
    if (file_size_ < 8) fail("file is ", file_size_, " bytes, shorter than the 8-byte header length");
    uint64_t header_length = 0;
    read_exactly(&header_length, 0, 8, "the header length");
    if (header_length > file_size_ - 8) {
      fail("header length ", header_length, " exceeds the ", file_size_ - 8, " bytes after the length field");
    }
    std::string text(header_length, '\0');
    if (header_length > 0) read_exactly(text.data(), 8, header_length, "the header");
    data_start_ = 8 + header_length;
    buffer_size_ = file_size_ - data_start_;
    return text;
  }

  // Parses the JSON header; a duplicated top-level name is an error (a parser would silently keep
  // one of the two).
  Json parse_header(const std::string& text) {
    std::set<std::string> seen;
    std::string duplicate;
    auto note_key = [&](int depth, Json::parse_event_t event, Json& parsed) {
      if (depth == 1 && event == Json::parse_event_t::key && duplicate.empty() &&
          !seen.insert(parsed.get<std::string>()).second) {
        duplicate = parsed.get<std::string>();
      }
      return true;
    };
    Json header;
    try {
      header = Json::parse(text, note_key);
    } catch (const Json::exception& error) {
      fail("header is not valid JSON (", error.what(), ")");
    }
    if (!header.is_object()) fail("header is JSON ", header.type_name(), ", expected an object");
    if (!duplicate.empty()) fail("tensor name '", duplicate, "' appears twice in the header");
    return header;
  }

  std::map<std::string, std::string> parse_metadata(const Json& value) {
    if (!value.is_object()) fail(kMetadataKey, " is JSON ", value.type_name(), ", expected an object");
    std::map<std::string, std::string> metadata;
    for (const auto& [key, item] : value.items()) {
      if (!item.is_string())
        fail("metadata value of '", key, "' is JSON ", item.type_name(), ", expected a string");
      metadata[key] = item.get<std::string>();
    }
    return metadata;
  }

  uint64_t non_negative_integer(const Json& value, const std::string& name, const char* field) {
    if (!value.is_number_unsigned()) {
      fail("tensor '", name, "': ", field, " holds ", value.dump(), ", expected a non-negative integer");
    }
    return value.get<uint64_t>();
  }

  Shape parse_shape(const std::string& name, const Json& value) {
    if (!value.is_array())
      fail("tensor '", name, "': shape is JSON ", value.type_name(), ", expected an array");
    Shape shape;
    uint64_t count = 1;
    for (const Json& item : value) {
      uint64_t size = non_negative_integer(item, name, "shape");
      constexpr uint64_t kLimit = uint64_t(std::numeric_limits<int64_t>::max()) / 8;  // bytes must fit int64
      if (size > kLimit || (size > 0 && count > kLimit / size))
        fail("tensor '", name, "': shape ", value.dump(), " is too large");
      count *= size;
      shape.push_back(int64_t(size));
    }
    return shape;
  }

  Entry parse_entry(const std::string& name, const Json& value) {
    if (!value.is_object())
      fail("tensor '", name, "': entry is JSON ", value.type_name(), ", expected an object");
    for (const char* field : {"dtype", "shape", "data_offsets"}) {
      if (!value.contains(field)) fail("tensor '", name, "': entry has no \"", field, "\"");
    }
    Entry entry;
    entry.name = name;
    const Json& dtype = value["dtype"];
    if (!dtype.is_string())
      fail("tensor '", name, "': dtype is JSON ", dtype.type_name(), ", expected a string");
    entry.type = find_stored_type(dtype.get<std::string>());
    if (entry.type == nullptr) {
      fail("tensor '", name, "' has unsupported dtype '", dtype.get<std::string>(),
           "' (supported: F32, F64, I32, U8, F16, BF16, I64)");
    }
    entry.shape = parse_shape(name, value["shape"]);
    const Json& offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
      fail("tensor '", name, "': data_offsets ", offsets.dump(), " is not [begin, end]");
    entry.begin = non_negative_integer(offsets[0], name, "data_offsets");
    entry.end = non_negative_integer(offsets[1], name, "data_offsets");
    check_extent(entry);
    return entry;
  }

  // end - begin must be numel * element size, and [begin, end) must lie inside the data buffer.
  void check_extent(const Entry& entry) {
    if (entry.begin > entry.end)
      fail("tensor '", entry.name, "': data_offsets ", offsets_str(entry), " end before they begin");
    const uint64_t expected = uint64_t(numel_of(entry.shape)) * entry.type->bytes;
    if (entry.end - entry.begin != expected) {
      fail("tensor '", entry.name, "' ", entry.type->name, shape_str(entry.shape), " needs ", expected,
           " bytes, but data_offsets ", offsets_str(entry), " span ", entry.end - entry.begin);
    }
    if (entry.end > buffer_size_) {
      fail("tensor '", entry.name, "': data_offsets ", offsets_str(entry), " run past the ", buffer_size_,
           "-byte data buffer (truncated file?)");
    }
  }

  // Two tensors may not share bytes. Empty tensors occupy nothing and never overlap.
  void check_no_overlap(std::vector<Entry> entries) {
    std::erase_if(entries, [](const Entry& entry) { return entry.begin == entry.end; });
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.begin < b.begin; });
    for (size_t i = 1; i < entries.size(); ++i) {
      if (entries[i].begin < entries[i - 1].end) {
        fail("tensors '", entries[i - 1].name, "' ", offsets_str(entries[i - 1]), " and '", entries[i].name,
             "' ", offsets_str(entries[i]), " overlap");
      }
    }
  }

  Tensor read_tensor(const Entry& entry) {
    const uint64_t offset = data_start_ + entry.begin;
    const uint64_t bytes = entry.end - entry.begin;
    const std::string what = concat("tensor '", entry.name, "'");
    switch (entry.type->type) {
      case StoredType::f32: return read_as_is(entry, DType::f32, offset, what);
      case StoredType::f64: return read_as_is(entry, DType::f64, offset, what);
      case StoredType::i32: return read_as_is(entry, DType::i32, offset, what);
      case StoredType::u8: return read_as_is(entry, DType::u8, offset, what);
      case StoredType::f16: return read_converted<uint16_t>(entry, offset, bytes, what, float_from_half_bits);
      case StoredType::bf16:
        return read_converted<uint16_t>(entry, offset, bytes, what, float_from_bfloat16_bits);
      case StoredType::i64: return read_int64(entry, offset, bytes, what);
    }
    fail("unreachable dtype");
  }

  Tensor read_as_is(const Entry& entry, DType dtype, uint64_t offset, const std::string& what) {
    Tensor tensor = Tensor::empty(entry.shape, dtype);
    if (tensor.nbytes() > 0) read_exactly(tensor.raw(), offset, tensor.nbytes(), what);
    return tensor;
  }

  template <typename Stored, typename Convert>
  Tensor read_converted(const Entry& entry, uint64_t offset, uint64_t bytes, const std::string& what,
                        Convert convert) {
    std::vector<Stored> stored(bytes / sizeof(Stored));
    if (bytes > 0) read_exactly(stored.data(), offset, bytes, what);
    Tensor tensor = Tensor::empty(entry.shape, DType::f32);
    float* out = tensor.data<float>();
    for (size_t i = 0; i < stored.size(); ++i) out[i] = convert(stored[i]);
    return tensor;
  }

  // PyTorch index tensors are int64; we hold indices as i32, so every value must fit.
  Tensor read_int64(const Entry& entry, uint64_t offset, uint64_t bytes, const std::string& what) {
    std::vector<int64_t> stored(bytes / sizeof(int64_t));
    if (bytes > 0) read_exactly(stored.data(), offset, bytes, what);
    Tensor tensor = Tensor::empty(entry.shape, DType::i32);
    int32_t* out = tensor.data<int32_t>();
    for (size_t i = 0; i < stored.size(); ++i) {
      if (stored[i] < std::numeric_limits<int32_t>::min() ||
          stored[i] > std::numeric_limits<int32_t>::max()) {
        fail(what, " (I64, loaded as i32): element ", i, " = ", stored[i], " does not fit in 32 bits");
      }
      out[i] = int32_t(stored[i]);
    }
    return tensor;
  }

  std::string path_;
  std::ifstream stream_;
  uint64_t file_size_ = 0;
  uint64_t data_start_ = 0;
  uint64_t buffer_size_ = 0;
};

// The header for `tensors` packed back to back in order, padded with spaces to a multiple of 8 bytes
// so the data buffer starts aligned.
std::string header_text(const NamedTensors& tensors, const std::map<std::string, std::string>& metadata) {
  Json header = Json::object();
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  uint64_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    const uint64_t end = offset + tensor.nbytes();
    header[name] = Json{{"dtype", stored_name_of(tensor.dtype())},
                        {"shape", tensor.shape()},
                        {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

void check_saveable(const std::string& path, const NamedTensors& tensors) {
  std::set<std::string> names;
  for (const auto& [name, tensor] : tensors) {
    DFORGE_CHECK(tensor.defined(), "save_safetensors: ", path, ": tensor '", name, "' is undefined");
    DFORGE_CHECK(name != kMetadataKey, "save_safetensors: ", path, ": '", kMetadataKey,
                 "' is reserved, not a tensor name");
    DFORGE_CHECK(names.insert(name).second, "save_safetensors: ", path, ": tensor name '", name,
                 "' appears twice");
  }
}

}  // namespace

const Tensor& TensorFile::get(const std::string& name) const {
  for (const auto& [tensor_name, tensor] : tensors) {
    if (tensor_name == name) return tensor;
  }
  std::string listed;
  for (size_t i = 0; i < tensors.size() && i < 8; ++i) listed += concat(i ? ", " : "", tensors[i].first);
  if (tensors.size() > 8) listed += ", ...";
  throw Error(concat("safetensors file ", path, ": no tensor named '", name, "' (it holds ", tensors.size(),
                     " tensors: ", listed, ")"));
}

bool TensorFile::contains(const std::string& name) const {
  return std::any_of(tensors.begin(), tensors.end(), [&](const auto& named) { return named.first == name; });
}

TensorFile load_safetensors(const std::string& path) { return Loader(path).load(); }

void save_safetensors(const std::string& path, const NamedTensors& tensors,
                      const std::map<std::string, std::string>& metadata) {
  check_saveable(path, tensors);
  NamedTensors host;
  for (const auto& [name, tensor] : tensors) host.emplace_back(name, tensor.to(Device::cpu()));
  std::string header;
  try {
    header = header_text(host, metadata);
  } catch (const Json::exception& error) {  // e.g. a name or metadata value that is not UTF-8
    throw Error(concat("save_safetensors: ", path, ": cannot encode the header (", error.what(), ")"));
  }
  write_file_atomically(path, [&](std::ostream& stream) {
    const uint64_t header_length = header.size();
    stream.write(reinterpret_cast<const char*>(&header_length), 8);
    stream.write(header.data(), std::streamsize(header.size()));
    for (const auto& [name, tensor] : host)
      stream.write(static_cast<const char*>(tensor.raw()), std::streamsize(tensor.nbytes()));
  });
}

}  // namespace dforge::io
