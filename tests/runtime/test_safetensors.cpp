#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/error.h"
#include "runtime/io/safetensors.h"
#include "tests/support/temporary_directory.h"

using namespace dforge;
using Catch::Matchers::Contains;
using testing::read_bytes;
using testing::TemporaryDirectory;
using testing::write_bytes;

namespace {

// A safetensors file by hand: 8-byte little-endian header length, header, data buffer.
std::string safetensors_bytes(const std::string& header, const std::string& data = "") {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(char((uint64_t(header.size()) >> (8 * i)) & 0xFF));
  return bytes + header + data;
}

// Little-endian bytes of 16-bit values.
std::string bytes_of_u16(const std::vector<uint16_t>& values) {
  std::string bytes;
  for (uint16_t value : values) bytes += {char(value & 0xFF), char(value >> 8)};
  return bytes;
}

std::string bytes_of_i64(const std::vector<int64_t>& values) {
  std::string bytes;
  for (int64_t value : values) {
    for (int i = 0; i < 8; ++i) bytes.push_back(char((uint64_t(value) >> (8 * i)) & 0xFF));
  }
  return bytes;
}

}  // namespace

TEST_CASE("safetensors round trip keeps dtypes, shapes, values, order and metadata", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("model.safetensors");
  const NamedTensors tensors = {
      {"z.weight", Tensor::from_values({1.5, -2.25, 0, 1e-3, 3e8, -7}, {2, 3}, DType::f32)},
      {"a.double", Tensor::from_values({0.1, -1e300}, {2}, DType::f64)},
      {"labels", Tensor::from_values({-7, 0, 2147483647}, {3}, DType::i32)},
      {"mask", Tensor::from_values({0, 1, 128, 255}, {2, 2}, DType::u8)},
      {"scalar", Tensor::scalar(3.5, DType::f32)},
      {"empty", Tensor::empty({0, 4}, DType::f32)},
      {"empty_u8", Tensor::empty({0}, DType::u8)},
  };
  const std::map<std::string, std::string> metadata = {
      {"config", "{\"lr\": 0.0002}"}, {"step", "1200"}, {"unit", "\xc2\xb5m"}};
  io::save_safetensors(path, tensors, metadata);

  const io::TensorFile file = io::load_safetensors(path);
  CHECK(file.path == path);
  CHECK(file.metadata == metadata);
  REQUIRE(file.tensors.size() == tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    INFO("tensor " << tensors[i].first);
    CHECK(file.tensors[i].first == tensors[i].first);
    const Tensor& loaded = file.tensors[i].second;
    CHECK(loaded.dtype() == tensors[i].second.dtype());
    CHECK(loaded.shape() == tensors[i].second.shape());
    CHECK(loaded.device() == Device::cpu());
    CHECK(loaded.to_vector() == tensors[i].second.to_vector());
  }
  CHECK(file.get("labels").to_vector() == std::vector<double>{-7, 0, 2147483647});
  CHECK(file.get("scalar").shape().empty());
  CHECK(file.get("a.double").to_vector()[0] == 0.1);  // f64 bits survive
}

TEST_CASE("save_safetensors writes the documented bytes", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("tiny.safetensors");
  io::save_safetensors(
      path, {{"a", Tensor::from_values({1.0, -2.0}, {2}, DType::f32)}, {"b", Tensor::scalar(7, DType::u8)}},
      {{"k", "v"}});
  // Header: metadata first, then the tensors in the given order, packed back to back (a: 2 x 4
  // bytes at [0, 8), b: 1 byte at [8, 9)). It is 130 characters; 6 spaces pad it to 136 = 0x88, a
  // multiple of 8.
  const std::string header =
      "{\"__metadata__\":{\"k\":\"v\"},"
      "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
      "\"b\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[8,9]}}"
      "      ";
  REQUIRE(header.size() == 136);
  // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, little-endian; then the byte 7.
  const std::string data("\x00\x00\x80\x3f\x00\x00\x00\xc0\x07", 9);
  const std::string expected = std::string("\x88\0\0\0\0\0\0\0", 8) + header + data;
  CHECK(read_bytes(path) == expected);
}

TEST_CASE("load_safetensors reads a hand-made file in header order", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("hand.safetensors");
  // "second" is listed first but stored second; the header is padded with spaces; no metadata.
  const std::string header =
      "{\"second\":{\"dtype\":\"I32\",\"shape\":[1,2],\"data_offsets\":[4,12]},"
      " \"first\": {\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}    ";
  // first = 0x40490FDB (pi in f32); second = {1, -1} = 0x00000001, 0xFFFFFFFF.
  const std::string data("\xdb\x0f\x49\x40\x01\x00\x00\x00\xff\xff\xff\xff", 12);
  write_bytes(path, safetensors_bytes(header, data));

  const io::TensorFile file = io::load_safetensors(path);
  REQUIRE(file.tensors.size() == 2);
  CHECK(file.tensors[0].first == "second");
  CHECK(file.tensors[1].first == "first");
  CHECK(file.metadata.empty());
  CHECK(file.get("second").dtype() == DType::i32);
  CHECK(file.get("second").shape() == Shape{1, 2});
  CHECK(file.get("second").to_vector() == std::vector<double>{1, -1});
  CHECK(file.get("first").item() == double(3.14159274101257324f));
}

TEST_CASE("F16 and BF16 load as f32 with exact values", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("half.safetensors");
  // binary16: sign | 5-bit exponent (bias 15) | 10-bit mantissa.
  //   0x3C00 = 2^0 = 1       0xC000 = -2^1 = -2     0x0000 = 0      0x8000 = -0
  //   0x7BFF = 2^15 * (1 + 1023/1024) = 65504 (largest half)
  //   0x0001 = 1 * 2^-24 (smallest subnormal)        0x03FF = 1023 * 2^-24 (largest subnormal)
  //   0x3555 = 2^-2 * (1 + 341/1024) = 1365/4096 = 0.333251953125
  //   0x7C00 = +inf          0xFC00 = -inf          0x7E00 = NaN
  const std::vector<uint16_t> half = {0x3C00, 0xC000, 0x0000, 0x8000, 0x7BFF, 0x0001,
                                      0x03FF, 0x3555, 0x7C00, 0xFC00, 0x7E00};
  // bfloat16 is the top half of an f32: 0x3F80 -> 0x3F800000 = 1; 0xC040 -> -(2 * 1.5) = -3;
  //   0x4049 -> 2 * (1 + 0x49/128) = 3.140625; 0x0001 -> f32 subnormal 2^16 * 2^-149 = 2^-133;
  //   0x7F80 -> +inf; 0xFF80 -> -inf.
  const std::vector<uint16_t> bfloat = {0x3F80, 0xC040, 0x4049, 0x0001, 0x7F80, 0xFF80};
  const std::string header =
      "{\"h\":{\"dtype\":\"F16\",\"shape\":[11],\"data_offsets\":[0,22]},"
      "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[22,34]}}";
  write_bytes(path, safetensors_bytes(header, bytes_of_u16(half) + bytes_of_u16(bfloat)));

  const io::TensorFile file = io::load_safetensors(path);
  const Tensor& h = file.get("h");
  REQUIRE(h.dtype() == DType::f32);
  REQUIRE(h.shape() == Shape{11});
  const float* hv = h.data<float>();
  CHECK(hv[0] == 1.0f);
  CHECK(hv[1] == -2.0f);
  CHECK((hv[2] == 0.0f && !std::signbit(hv[2])));
  CHECK((hv[3] == 0.0f && std::signbit(hv[3])));
  CHECK(hv[4] == 65504.0f);
  CHECK(hv[5] == std::ldexp(1.0f, -24));
  CHECK(hv[6] == std::ldexp(1023.0f, -24));
  CHECK(hv[7] == 0.333251953125f);
  CHECK(hv[8] == INFINITY);
  CHECK(hv[9] == -INFINITY);
  CHECK(std::isnan(hv[10]));

  const Tensor& b = file.get("b");
  REQUIRE(b.dtype() == DType::f32);
  REQUIRE(b.shape() == Shape{2, 3});
  CHECK(b.to_vector() ==
        std::vector<double>{1.0, -3.0, 3.140625, std::ldexp(1.0, -133), INFINITY, -INFINITY});
}

TEST_CASE("I64 loads as i32 and rejects values beyond 32 bits", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string fits = directory.file("fits.safetensors");
  write_bytes(fits,
              safetensors_bytes("{\"index\":{\"dtype\":\"I64\",\"shape\":[2,2],\"data_offsets\":[0,32]}}",
                                bytes_of_i64({-3, 0, 2147483647, -2147483648LL})));
  const Tensor index = io::load_safetensors(fits).get("index");
  CHECK(index.dtype() == DType::i32);
  CHECK(index.shape() == Shape{2, 2});
  CHECK(index.to_vector() == std::vector<double>{-3, 0, 2147483647, -2147483648.0});

  const std::string too_big = directory.file("too_big.safetensors");
  write_bytes(too_big,
              safetensors_bytes("{\"index\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                                bytes_of_i64({5, 2147483648LL})));
  CHECK_THROWS_WITH(
      io::load_safetensors(too_big),
      "load_safetensors: " + too_big +
          ": tensor 'index' (I64, loaded as i32): element 1 = 2147483648 does not fit in 32 bits");
}

TEST_CASE("malformed safetensors files are rejected naming the file and the problem", "[io][safetensors]") {
  struct Case {
    const char* description;
    std::string bytes;
    std::string message;  // after "load_safetensors: <path>: "
  };
  const std::string f32_x = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
  const std::vector<Case> cases = {
      {"shorter than 8 bytes", "abc", "file is 3 bytes, shorter than the 8-byte header length"},
      {"header length past the end", std::string("\x64\0\0\0\0\0\0\0", 8) + "{\"x\": 1}  ",
       "header length 100 exceeds the 10 bytes after the length field"},
      {"empty header", safetensors_bytes(""), "header is not valid JSON ("},
      {"header not JSON", safetensors_bytes("{abc"), "header is not valid JSON ([json.exception.parse_error"},
      {"header not an object", safetensors_bytes("[1, 2]"), "header is JSON array, expected an object"},
      {"entry not an object", safetensors_bytes("{\"x\": 3}"),
       "tensor 'x': entry is JSON number, expected an object"},
      {"entry without data_offsets", safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[1]}}", "1234"),
       "tensor 'x': entry has no \"data_offsets\""},
      {"unknown dtype",
       safetensors_bytes("{\"x\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", "1"),
       "tensor 'x' has unsupported dtype 'F8_E4M3' (supported: F32, F64, I32, U8, F16, BF16, I64)"},
      {"dtype not a string",
       safetensors_bytes("{\"x\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", "1234"),
       "tensor 'x': dtype is JSON number, expected a string"},
      {"negative size",
       safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "1234"),
       "tensor 'x': shape holds -1, expected a non-negative integer"},
      {"shape not an array",
       safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", "12345678"),
       "tensor 'x': shape is JSON number, expected an array"},
      {"offsets not a pair",
       safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "12345678"),
       "tensor 'x': data_offsets [0] is not [begin, end]"},
      {"size does not match the offsets",
       safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}",
                         std::string(16, 'd')),
       "tensor 'x' F32[2, 2] needs 16 bytes, but data_offsets [0, 12] span 12"},
      {"offsets reversed",
       safetensors_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", "12345678"),
       "tensor 'x': data_offsets [8, 4] end before they begin"},
      {"offsets past the buffer (truncated)", safetensors_bytes(f32_x + "}", "1234"),
       "tensor 'x': data_offsets [0, 8] run past the 4-byte data buffer (truncated file?)"},
      {"overlapping tensors",
       safetensors_bytes(f32_x + ",\"y\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[6,10]}}",
                         "0123456789"),
       "tensors 'x' [0, 8] and 'y' [6, 10] overlap"},
      {"duplicate names", safetensors_bytes(f32_x + "," + f32_x.substr(1) + "}", "12345678"),
       "tensor name 'x' appears twice in the header"},
      {"metadata not an object", safetensors_bytes("{\"__metadata__\": [\"a\"]}"),
       "__metadata__ is JSON array, expected an object"},
      {"non-string metadata value", safetensors_bytes("{\"__metadata__\": {\"name\": \"g\", \"step\": 5}}"),
       "metadata value of 'step' is JSON number, expected a string"},
  };
  TemporaryDirectory directory;
  for (const Case& bad : cases) {
    SECTION(bad.description) {
      const std::string path = directory.file("bad.safetensors");
      write_bytes(path, bad.bytes);
      CHECK_THROWS_WITH(io::load_safetensors(path),
                        Catch::StartsWith("load_safetensors: " + path + ": " + bad.message));
    }
  }
  SECTION("missing file") {
    const std::string path = directory.file("missing.safetensors");
    CHECK_THROWS_WITH(io::load_safetensors(path), "load_safetensors: " + path + ": no such file");
  }
  SECTION("a directory") {
    CHECK_THROWS_WITH(io::load_safetensors(directory.file("")), Contains(": is a directory"));
  }
}

TEST_CASE("TensorFile::get names the file and the missing tensor", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("two.safetensors");
  io::save_safetensors(path, {{"a", Tensor::scalar(1)}, {"b", Tensor::scalar(2)}});
  const io::TensorFile file = io::load_safetensors(path);
  CHECK(file.contains("a"));
  CHECK_FALSE(file.contains("c"));
  CHECK(file.get("b").item() == 2);
  CHECK_THROWS_WITH(file.get("c"),
                    "safetensors file " + path + ": no tensor named 'c' (it holds 2 tensors: a, b)");
}

TEST_CASE("save_safetensors rejects bad input and leaves the previous file intact", "[io][safetensors]") {
  TemporaryDirectory directory;
  const std::string path = directory.file("keep.safetensors");
  io::save_safetensors(path, {{"w", Tensor::from_values({1, 2}, {2})}});
  const std::string before = read_bytes(path);

  CHECK_THROWS_WITH(io::save_safetensors(path, {{"w", Tensor::scalar(1)}, {"w", Tensor::scalar(2)}}),
                    "save_safetensors: " + path + ": tensor name 'w' appears twice");
  CHECK_THROWS_WITH(io::save_safetensors(path, {{"__metadata__", Tensor::scalar(1)}}),
                    "save_safetensors: " + path + ": '__metadata__' is reserved, not a tensor name");
  CHECK_THROWS_WITH(io::save_safetensors(path, {{"u", Tensor()}}),
                    "save_safetensors: " + path + ": tensor 'u' is undefined");
  CHECK_THROWS_WITH(io::save_safetensors(path, {{"w", Tensor::scalar(1)}}, {{"bad", "\xff"}}),
                    Catch::StartsWith("save_safetensors: " + path + ": cannot encode the header ("));
  CHECK(read_bytes(path) == before);
  CHECK(directory.entries() == std::vector<std::string>{"keep.safetensors"});
}

TEST_CASE("a save that fails while writing leaves no temporary file", "[io][safetensors]") {
  TemporaryDirectory directory;
  // The target is a directory: the data is written, then the rename fails.
  const std::string occupied = directory.file("occupied.safetensors");
  std::filesystem::create_directory(occupied);
  CHECK_THROWS_WITH(io::save_safetensors(occupied, {{"w", Tensor::scalar(1)}}),
                    Contains(occupied + ": rename failed"));
  CHECK(directory.entries() == std::vector<std::string>{"occupied.safetensors"});
}

TEST_CASE("tensors on the GPU are saved from a host copy", "[io][safetensors][cuda]") {
  if (!cuda_available()) return;
  TemporaryDirectory directory;
  const std::string path = directory.file("gpu.safetensors");
  io::save_safetensors(path, {{"g", Tensor::from_values({1, 2, 3}, {3}).to(Device::cuda())}});
  CHECK(io::load_safetensors(path).get("g").to_vector() == std::vector<double>{1, 2, 3});
}
